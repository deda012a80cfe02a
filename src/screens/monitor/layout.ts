/**
 * Column widths for a monitor table at a given terminal width: the fixed
 * columns as asked, the last one takes the rest; when the rest is too
 * narrow to read a query, the widest fixed columns give way first.
 */
import { fitCell } from '../../components/grid-layout.js';
import type { TabColumn } from './tabs.js';

const MIN_LAST = 16;
const MIN_FIXED = 5;

export function layoutColumns(columns: TabColumn[], width: number): number[] {
  const widths = columns.map((c) => c.width);
  const gaps = Math.max(0, columns.length - 1);
  const rest = () => width - gaps - widths.slice(0, -1).reduce((a, b) => a + b, 0);
  while (rest() < MIN_LAST) {
    let widest = -1;
    for (let i = 0; i < widths.length - 1; i++) if ((widths[i] as number) > MIN_FIXED && (widest === -1 || (widths[i] as number) > (widths[widest] as number))) widest = i;
    if (widest === -1) break;
    widths[widest] = (widths[widest] as number) - 1;
  }
  widths[widths.length - 1] = Math.max(1, rest());
  return widths;
}

/** One table line: each cell cut or padded to its width, one space between. */
export function tableLine(cells: string[], widths: number[]): string {
  return widths.map((w, i) => fitCell(cells[i] ?? '', w)).join(' ');
}

/** The first row to draw so that `selected` stays in a window of `height` rows. */
export function windowTop(previousTop: number, selected: number, height: number, rowCount: number): number {
  let top = Math.min(previousTop, Math.max(0, rowCount - height));
  if (selected < top) top = selected;
  if (selected >= top + height) top = selected - height + 1;
  return Math.max(0, top);
}
