/**
 * Pure layout for the result grid: cell text, display widths (East Asian
 * wide characters and emoji count as two columns), truncation with an
 * ellipsis, and which columns fit. Kept apart from Ink so it is cheap to
 * test and to run on every scroll step.
 */
import stringWidth from 'string-width';
import { escapeControls } from '../core/escape-controls.js';

export const NULL_MARK = '∅';
export const ELLIPSIS = '…';

export type Cell = string | null;

const segmenter = new Intl.Segmenter();

/**
 * No cell shows more than this many characters of a value: a longer one is
 * cut before it is measured (measuring a 100 kB text on every frame froze
 * the console for minutes).
 */
export const CELL_CHARS = 1000;


/** One line of display text for a value: newlines and tabs shown as ↵ and →, so rows stay one line. */
export function cellText(value: Cell): string {
  if (value === null) return NULL_MARK;
  const cut = value.length > CELL_CHARS ? value.slice(0, CELL_CHARS) + ELLIPSIS : value;
  return escapeControls(cut.replace(/\r?\n/g, '↵').replace(/\t/g, '→'));
}

export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** Cut `text` to at most `width` columns, ending with … when cut; pad to exactly `width`. */
export function fitCell(text: string, width: number): string {
  const w = stringWidth(text);
  if (w <= width) return text + ' '.repeat(width - w);
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const sw = stringWidth(segment);
    if (used + sw > width - 1) break;
    out += segment;
    used += sw;
  }
  return out + ELLIPSIS + ' '.repeat(Math.max(0, width - 1 - used));
}

export interface GridColumn {
  name: string;
}

/** Width of each column from its header and the rows on screen, capped so one long value cannot take the row. */
export function columnWidths(columns: GridColumn[], visibleRows: Cell[][], maxWidth: number): number[] {
  return columns.map((col, c) => {
    let w = stringWidth(col.name);
    for (const row of visibleRows) {
      const v = row[c];
      const vw = stringWidth(cellText(v ?? null));
      if (vw > w) w = vw;
      if (w >= maxWidth) return maxWidth;
    }
    return Math.max(1, Math.min(w, maxWidth));
  });
}

/** The columns from `first` that fit in `width` (at least one, cut if it alone is wider). */
export function visibleColumns(widths: number[], first: number, width: number, gap = 1): { index: number; width: number }[] {
  const out: { index: number; width: number }[] = [];
  let used = 0;
  for (let i = first; i < widths.length; i++) {
    const w = widths[i] as number;
    const need = (out.length > 0 ? gap : 0) + w;
    if (used + need > width) {
      if (out.length === 0) out.push({ index: i, width });
      break;
    }
    out.push({ index: i, width: w });
    used += need;
  }
  return out;
}

export function renderRow(cells: string[], cols: { index: number; width: number }[], gap = ' '): string {
  return cols.map((c, k) => fitCell(cells[k] ?? '', c.width)).join(gap);
}

/** A piece of a drawn row: its text, and whether it stands for NULL (drawn dim so it never reads as text). */
export interface RowSegment {
  text: string;
  isNull: boolean;
}

/**
 * One row as segments ready for nested <Text>: each cell fitted to its
 * column, NULL cells marked so the grid can dim them (a NULL, an empty
 * string and the literal text "∅" must never look the same).
 */
export function rowSegments(row: Cell[], cols: { index: number; width: number }[], gap = ' '): RowSegment[] {
  const out: RowSegment[] = [];
  cols.forEach((c, k) => {
    const value = row[c.index] ?? null;
    if (k > 0) out.push({ text: gap, isNull: false });
    out.push({ text: fitCell(cellText(value), c.width), isNull: value === null });
  });
  // Neighbouring plain segments merge: fewer <Text> nodes per frame.
  return out.reduce<RowSegment[]>((acc, seg) => {
    const last = acc[acc.length - 1];
    if (last && !last.isNull && !seg.isNull) last.text += seg.text;
    else acc.push({ ...seg });
    return acc;
  }, []);
}

/** The first row to draw so that `selected` stays on screen, moving the window as little as possible. */
export function scrollTop(top: number, selected: number, height: number): number {
  if (selected < top) return selected;
  if (selected >= top + height) return selected - height + 1;
  return top;
}

export type ExpandedLine = { kind: 'record'; text: string } | { kind: 'field'; name: string; value: string; isNull: boolean };

/** psql's expanded layout (\\x) for records from `first`, cut to `height` lines of `width` columns. */
export function expandedLines(names: string[], getRow: (i: number) => Cell[] | undefined, first: number, count: number, height: number, width: number): ExpandedLine[] {
  const nameWidth = Math.max(1, Math.min(Math.max(...names.map((n) => stringWidth(n)), 1), Math.floor(width / 3)));
  const valueWidth = Math.max(1, width - nameWidth - 3);
  const lines: ExpandedLine[] = [];
  for (let i = first; i < count && lines.length < height; i++) {
    const label = `-[ RECORD ${i + 1} ]`;
    lines.push({ kind: 'record', text: label + '-'.repeat(Math.max(0, Math.min(width, nameWidth + 20) - stringWidth(label))) });
    const row = getRow(i);
    for (let c = 0; c < names.length && lines.length < height; c++) {
      const value = row ? (row[c] ?? null) : undefined;
      const text = value === undefined ? ELLIPSIS : cellText(value);
      lines.push({ kind: 'field', name: fitCell(names[c] as string, nameWidth), value: fitCell(text, valueWidth).trimEnd(), isNull: value === null });
    }
  }
  return lines;
}
