/**
 * How the `?` overlay lays its keys out in the room it has: one column
 * when everything fits, two side by side when the terminal is wide enough
 * for that to fit, else one column that scrolls. Descriptions wrap under
 * themselves rather than being cut, so no key's meaning is lost at 80
 * columns. Pure, so the layout is tested without a terminal.
 */
import { keyLabel, type KeyBinding } from '../app/keymap.js';
import { wrapText } from './wrap.js';

/** One row of the overlay: the key column (empty on a continuation row) and the text beside it. */
export interface HelpLine {
  keys: string;
  text: string;
}

export interface HelpLayout {
  /** One or two columns of lines; with `scrollable`, a single column taller than `bodyHeight`. */
  columns: HelpLine[][];
  /** Width of each column's key part (the label plus its gap). */
  keyWidth: number;
  /** Rows between the title and the footer. */
  bodyHeight: number;
  scrollable: boolean;
}

/** Border (2) + title + footer. */
export const HELP_CHROME_ROWS = 4;
/** Border and padding on each side. */
const CHROME_COLUMNS = 4;
const COLUMN_GAP = 3;
/** Below this, a description column is too narrow to read: two columns are not tried. */
const MIN_TEXT_WIDTH = 28;

/** The bindings once each (a command bound in several layers shows once, the newest first). */
export function uniqueBindings(bindings: KeyBinding[]): KeyBinding[] {
  const seen = new Set<string>();
  return bindings.filter((b) => (seen.has(b.command) ? false : (seen.add(b.command), true)));
}

function labelOf(b: KeyBinding): string {
  return b.keys.map(keyLabel).join(' / ');
}

/** One binding as rows: its keys, then its description wrapped beside them (below them when the keys are too long). */
function entryLines(b: KeyBinding, keyWidth: number, width: number): HelpLine[] {
  const label = labelOf(b);
  const textWidth = Math.max(8, width - keyWidth);
  const text = wrapText(b.description, textWidth);
  if (label.length + 2 > keyWidth) return [{ keys: label, text: '' }, ...text.map((t) => ({ keys: '', text: t }))];
  return text.map((t, i) => ({ keys: i === 0 ? label : '', text: t }));
}

export function layoutHelp(bindings: KeyBinding[], width: number, height: number): HelpLayout {
  const rows = uniqueBindings(bindings);
  const inner = Math.max(20, width - CHROME_COLUMNS);
  const bodyHeight = Math.max(1, height - HELP_CHROME_ROWS);
  const longest = Math.max(4, ...rows.map((b) => labelOf(b).length));
  // The key column never takes more than a third of the line; a longer label gets a row of its own.
  const keyWidthFor = (columnWidth: number) => Math.min(longest + 2, Math.floor(columnWidth / 3));

  const keyWidth = keyWidthFor(inner);
  const single = rows.flatMap((b) => entryLines(b, keyWidth, inner));
  if (single.length <= bodyHeight) return { columns: [single], keyWidth, bodyHeight, scrollable: false };

  const columnWidth = Math.floor((inner - COLUMN_GAP) / 2);
  const narrowKeyWidth = keyWidthFor(columnWidth);
  if (columnWidth - narrowKeyWidth >= MIN_TEXT_WIDTH) {
    const entries = rows.map((b) => entryLines(b, narrowKeyWidth, columnWidth));
    const split = balancedSplit(entries.map((e) => e.length));
    const columns = [entries.slice(0, split).flat(), entries.slice(split).flat()];
    if (Math.max(...columns.map((c) => c.length)) <= bodyHeight) return { columns, keyWidth: narrowKeyWidth, bodyHeight, scrollable: false };
  }
  return { columns: [single], keyWidth, bodyHeight, scrollable: true };
}

/** Where to break entries (kept whole) into two columns so that the taller one is as short as it can be. */
function balancedSplit(heights: number[]): number {
  const total = heights.reduce((a, b) => a + b, 0);
  let best = heights.length;
  let bestHeight = total;
  let first = 0;
  for (let i = 0; i < heights.length; i++) {
    first += heights[i] as number;
    const taller = Math.max(first, total - first);
    if (taller < bestHeight) {
      bestHeight = taller;
      best = i + 1;
    }
  }
  return best;
}

/**
 * The overlay's own keys: ↑/↓, PgUp/PgDn, Home/End scroll when there is
 * something to scroll; any other key (all of them, when nothing scrolls)
 * closes it. Data, so the status bar can show them from the first frame the
 * overlay is drawn in.
 */
export function helpKeyBindings(scrollable: boolean): KeyBinding[] {
  const scrolling: KeyBinding[] = [
    { command: 'help-line', keys: ['up', 'down'], hint: 'scroll', description: 'scroll this help by a line' },
    { command: 'help-page', keys: ['pageup', 'pagedown'], hint: 'page', description: 'scroll this help by a page' },
    { command: 'help-ends', keys: ['home', 'end'], description: 'the top or the end of this help' },
  ];
  return [...(scrollable ? scrolling : []), { command: 'close-help', keys: ['any'], hint: 'close', description: 'close this help' }];
}

/** The largest first row that still fills the body. */
export function maxHelpTop(layout: HelpLayout): number {
  return layout.scrollable ? Math.max(0, (layout.columns[0] as HelpLine[]).length - layout.bodyHeight) : 0;
}
