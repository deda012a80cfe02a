/**
 * Pure layout for the result grid: cell text, display widths (East Asian
 * wide characters and emoji count as two columns), truncation with an
 * ellipsis, and which columns fit. Kept apart from Ink so it is cheap to
 * test and to run on every scroll step.
 */
import stringWidth from 'string-width';

export const NULL_MARK = '∅';
export const ELLIPSIS = '…';

export type Cell = string | null;

const segmenter = new Intl.Segmenter();

/** One line of display text for a value: newlines and tabs shown as ↵ and →, so rows stay one line. */
export function cellText(value: Cell): string {
  if (value === null) return NULL_MARK;
  return value.replace(/\r?\n/g, '↵').replace(/\t/g, '→');
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
