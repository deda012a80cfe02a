/**
 * Split a migration file into its up and down sections exactly as
 * node-pg-migrate's SQL loader does (same marker regex, same slicing), but
 * keep each section's offset in the file so errors can name a line.
 * test/unit/migration-split.test.ts checks the texts against the runner's own
 * `getActions` on awkward inputs.
 */

/** node-pg-migrate's marker: a line starting with `--` (more dashes or spaces allowed), then "up migration" / "down migration", any case. */
export function markerRegex(direction: 'up' | 'down'): RegExp {
  return direction === 'up' ? UP_MARKER : DOWN_MARKER;
}

// Built once (a status reads 500 files); without the g flag, search() keeps no state in them.
const UP_MARKER = /^\s*--[\s-]*up\s+migration/im;
const DOWN_MARKER = /^\s*--[\s-]*down\s+migration/im;

/** The header line that makes a file run outside a transaction (CREATE INDEX CONCURRENTLY and the like). */
const NO_TRANSACTION = /^[ \t]*--[ \t]*connector-db:[ \t]*no-transaction[ \t]*$/im;

export interface Section {
  /** The section's text as the runner sends it (starts with the marker comment). */
  text: string;
  /** Offset of `text` in the file. */
  start: number;
}

export interface SplitMigration {
  up: Section;
  /** Null when the file has no down marker: the runner refuses to go down through it. */
  down: Section | null;
  /** Text before the first marker (the whole file when there is none). */
  header: string;
  /** Neither marker: the whole file is its up, and nothing says how to undo it. */
  unmarked: boolean;
  noTransaction: boolean;
}

export function splitMigration(content: string): SplitMigration {
  const upStart = content.search(markerRegex('up'));
  const downStart = content.search(markerRegex('down'));
  // The same slicing as node-pg-migrate's sqlMigration.getActions.
  const up: Section = upStart >= 0 ? { text: content.slice(upStart, downStart < upStart ? undefined : downStart), start: upStart } : { text: content, start: 0 };
  const down: Section | null = downStart >= 0 ? { text: content.slice(downStart, upStart < downStart ? undefined : upStart), start: downStart } : null;
  const firstMarker = [upStart, downStart].filter((i) => i >= 0).sort((a, b) => a - b)[0];
  const header = firstMarker === undefined ? content : content.slice(0, firstMarker);
  return { up, down, header, unmarked: upStart < 0 && downStart < 0, noTransaction: NO_TRANSACTION.test(header) };
}

/** 1-based line number of a character offset. */
export function lineAt(content: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, content.length);
  for (let i = 0; i < end; i++) if (content.charCodeAt(i) === 10) line++;
  return line;
}
