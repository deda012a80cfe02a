/**
 * Write `.env` safely: a temp file in the same folder (so the rename stays on
 * one file system), mode 0600 from the start (it holds a password), flushed,
 * then renamed over the real name. A crash leaves the old file or the new
 * one, never half of either. A symlinked .env is written through the link.
 */
import { randomBytes } from 'node:crypto';
import { open, realpath, rename, rm, chmod } from 'node:fs/promises';
import path from 'node:path';

export async function writeEnvFile(file: string, text: string): Promise<string> {
  let target = file;
  try {
    target = await realpath(file);
  } catch {
    // no file yet: write it where asked
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.connector-db-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await chmod(tmp, 0o600);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return target;
}
