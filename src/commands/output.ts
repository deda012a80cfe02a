/**
 * How commands speak: text for people (colour only on a colour-capable TTY),
 * one JSON document for scripts. Nothing else in src/commands writes to the
 * streams directly.
 */
import type { Writable } from 'node:stream';

export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001B[${open}m${s}\u001B[${close}m`;
const COLOURS: Palette = { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
const PLAIN: Palette = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s, cyan: (s) => s };

/** Colour only when asked for implicitly by a capable terminal and not refused by NO_COLOR, --no-color, TERM=dumb or FORCE_COLOR=0. */
export function colourWanted(stream: { isTTY?: boolean }, env: Record<string, string | undefined>, flag: boolean): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0') return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

export class Output {
  readonly palette: Palette;
  constructor(
    readonly stdout: Writable & { isTTY?: boolean; columns?: number },
    readonly stderr: Writable & { isTTY?: boolean },
    readonly json: boolean,
    colour: boolean,
  ) {
    this.palette = colour ? COLOURS : PLAIN;
  }

  /** A line of text for people (suppressed in --json mode: stdout holds one document). */
  line(text = ''): void {
    if (!this.json) this.stdout.write(text + '\n');
  }

  /** The one JSON document of a --json run. */
  document(value: unknown): void {
    this.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** Progress and warnings: stderr, in both modes. */
  note(text: string): void {
    this.stderr.write(text + '\n');
  }

  /** Text mode prints `text()`, JSON mode prints `doc`. */
  emit(doc: unknown, text: () => void): void {
    if (this.json) this.document(doc);
    else text();
  }
}

/** Left-aligned columns, padded to the widest cell, for plain-text tables. */
export function columns(rows: string[][], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell) + gap)))
      .join('')
      .trimEnd(),
  );
}

function visibleLength(s: string): number {
  return s.replace(/\u001B\[[0-9;]*m/g, '').length;
}
