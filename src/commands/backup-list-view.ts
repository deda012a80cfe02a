/** `backup list` as text (a table, then the problems in words) or as one JSON document. */
import type { BackupEntry, BackupListing } from '../core/backups/backup-list.js';
import { formatAge, formatBytes, formatUtc } from '../core/format-units.js';
import type { CommandContext } from './context.js';
import { columns } from './output.js';

export function listingJson(listing: BackupListing, ok: boolean) {
  return {
    // The exit code is 1 when a file is damaged: ok says the same.
    ok,
    dir: listing.dir,
    backups: listing.backups.map((b) => ({
      file: b.file,
      path: b.path,
      kind: b.kind,
      schemaOnly: b.schemaOnly,
      takenAt: b.takenAt.toISOString(),
      database: b.database ?? null,
      size: b.size,
      status: b.status,
      detail: b.detail,
      revision: b.manifest?.migration?.current ?? null,
      manifest: b.manifest ?? null,
    })),
    leftovers: listing.leftovers.map((l) => ({ file: l.file, path: l.path, pid: l.pid, size: l.size, modifiedAt: l.modifiedAt.toISOString(), stale: l.stale })),
  };
}

const MARK: Record<BackupEntry['status'], string> = {
  ok: '✓ sha256 ok',
  unverified: '✓ size ok',
  no_manifest: '– no manifest',
  manifest_invalid: '✗ bad manifest',
  size_mismatch: '✗ size differs',
  checksum_mismatch: '✗ CHECKSUM',
  file_missing: '✗ file missing',
};

export function printListing(ctx: CommandContext, listing: BackupListing, damaged: boolean, now = new Date()): void {
  const { out } = ctx;
  const p = out.palette;
  out.emit(listingJson(listing, !damaged), () => {
    if (!listing.exists || listing.backups.length === 0) {
      out.line(`No backups in ${listing.dir}${listing.exists ? '' : ' (the folder does not exist yet)'}. Take one with: connector-db backup --gzip`);
    } else {
      out.line(`${p.bold('Backups')} in ${listing.dir}, newest first (times in UTC)`);
      const rows = [['TAKEN', 'FILE', 'SIZE', 'REV', 'CHECK'].map((h) => p.bold(h))];
      for (const b of listing.backups) {
        const mark = MARK[b.status];
        const coloured = mark.startsWith('✓') ? p.green(mark) : mark.startsWith('✗') ? p.red(mark) : p.dim(mark);
        rows.push([`${formatUtc(b.takenAt).replace(' UTC', '')}`, b.file, b.status === 'file_missing' ? '-' : formatBytes(b.size), b.manifest?.migration?.current ?? (b.manifest?.migration ? 'base' : '-'), coloured]);
      }
      for (const line of columns(rows)) out.line(line);
      const newest = listing.backups[0];
      if (newest) out.line(p.dim(`newest: ${formatAge(newest.takenAt, now)}`));
      for (const b of listing.backups.filter((x) => x.status !== 'ok' && x.status !== 'unverified' && x.status !== 'no_manifest')) {
        out.line(`${p.red('✗')} ${b.file}: ${b.detail}`);
      }
    }
    for (const l of listing.leftovers) {
      const state = l.stale ? `left by an interrupted run (pid ${l.pid} is gone); safe to delete, the next backup removes it` : `being written by pid ${l.pid} (a backup in progress)`;
      out.line(`${p.yellow('!')} ${l.file} (${formatBytes(l.size)}, ${formatAge(l.modifiedAt, now)}): ${state}`);
    }
  });
}
