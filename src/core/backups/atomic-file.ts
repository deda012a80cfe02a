/**
 * Writing a file so that it never exists half-written under its final
 * name and never replaces another: write to a temporary name in the same
 * folder (created exclusively), fsync, then give it its final name with
 * link(2), which fails when the name is taken instead of replacing it
 * (rename(2) would silently replace), and fsync the folder so the new
 * name survives a power cut.
 */
import { close, constants, fsync, open as openFd } from 'node:fs';
import { link, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Create `file` only if nothing has that name (O_EXCL); 0600 because a
 * backup holds the database's data. A plain descriptor, not a FileHandle:
 * a FileHandle lent to a write stream could not be closed afterwards
 * (its close waited forever on Node 20).
 */
export async function createExclusive(file: string, mode = 0o600): Promise<number> {
  return promisify(openFd)(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
}

/** Flush the data to disk and close. */
export async function syncAndClose(fd: number): Promise<void> {
  try {
    await promisify(fsync)(fd);
  } finally {
    await promisify(close)(fd);
  }
}

export async function closeQuietly(fd: number): Promise<void> {
  await promisify(close)(fd).catch(() => {});
}

/** fsync a folder so a rename or link in it is durable; some systems refuse, which is harmless. */
export async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // EISDIR/EINVAL/EPERM on platforms that cannot fsync a directory
  } finally {
    await handle?.close().catch(() => {});
  }
}

/**
 * Give `temp` the name `final` unless `final` exists. Returns false when the
 * name is taken (the caller picks another). Hard links are atomic and never
 * replace; on a file system without them (some network and FAT mounts) fall
 * back to a check then rename, the best such a file system allows.
 */
export async function publishNoReplace(temp: string, final: string): Promise<boolean> {
  try {
    await link(temp, final);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK' && code !== 'ENOSYS') throw error;
    if (await exists(final)) return false;
    await rename(temp, final);
    await syncDir(path.dirname(final));
    return true;
  }
  await unlink(temp);
  await syncDir(path.dirname(final));
  return true;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Remove a file if it is there; never throws for a missing file. */
export async function removeQuietly(file: string): Promise<void> {
  await unlink(file).catch(() => {});
}
