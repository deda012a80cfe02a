/**
 * Alembic's words for a revision, turned into a position in the file list
 * (pure): `head`, `base`, `+N`, `-N`, a number (`2`, `002`), or a unique
 * prefix of a name (`add_scrape`, `002_add`). -1 is base.
 */
import { ToolError } from '../errors.js';
import type { MigrationFile } from './files.js';

export type MoveKind = 'upgrade' | 'downgrade' | 'stamp';

/** Index of the revision `spec` names; `currentIndex` anchors +N / -N. */
export function resolveRevision(spec: string, files: Pick<MigrationFile, 'id' | 'seq' | 'name' | 'slug'>[], currentIndex: number, kind: MoveKind): number {
  const word = spec.trim();
  const lower = word.toLowerCase();
  if (lower === 'head' || lower === 'heads') return files.length - 1;
  if (lower === 'base') return -1;
  const relative = /^([+-])(\d+)$/.exec(word);
  if (relative) {
    const n = Number(relative[2]);
    if (n === 0) throw usage(`"${word}" moves nowhere; use +1 or more (upgrade) or -1 or more (downgrade).`);
    if (relative[1] === '+') {
      if (kind === 'downgrade') throw usage(`downgrade takes -N (steps back), not "${word}".`);
      const target = currentIndex + n;
      if (target > files.length - 1) {
        const pending = files.length - 1 - currentIndex;
        throw usage(`"${word}" goes past head: only ${pending} revision${pending === 1 ? '' : 's'} ${pending === 1 ? 'is' : 'are'} pending${pending > 0 ? ` (${files.slice(currentIndex + 1).map((f) => f.id).join(', ')})` : ''}.`);
      }
      return target;
    }
    if (kind === 'upgrade') throw usage(`upgrade takes +N (steps forward), not "${word}".`);
    const target = currentIndex - n;
    if (target < -1) throw usage(`"${word}" goes below base: only ${currentIndex + 1} revision${currentIndex === 0 ? ' is' : 's are'} applied.`);
    return target;
  }
  if (/^\d+$/.test(word)) {
    const index = files.findIndex((f) => f.id === word || f.seq === Number(word));
    if (index < 0) throw usage(`No revision ${word}: the revisions are ${list(files)}.`);
    return index;
  }
  const exact = files.findIndex((f) => f.name.toLowerCase() === lower || f.slug.toLowerCase() === lower);
  if (exact >= 0) return exact;
  const matches = files
    .map((f, index) => ({ f, index }))
    .filter(({ f }) => f.name.toLowerCase().startsWith(lower) || f.slug.toLowerCase().startsWith(lower));
  if (matches.length === 1) return (matches[0] as { index: number }).index;
  if (matches.length > 1) throw usage(`"${word}" is ambiguous: it starts ${matches.map(({ f }) => f.name).join(', ')}; give more of the name or the number.`);
  throw usage(`No revision matches "${word}": use head, base, +N, -N, a number or the start of a name (${list(files)}).`);
}

function list(files: Pick<MigrationFile, 'id'>[]): string {
  if (files.length === 0) return 'none (the folder is empty)';
  if (files.length <= 6) return files.map((f) => f.id).join(', ');
  return `${files[0]?.id} … ${files[files.length - 1]?.id}`;
}

function usage(message: string): ToolError {
  return new ToolError('usage', message, { exitCode: 2 });
}
