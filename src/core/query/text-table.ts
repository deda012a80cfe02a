/**
 * psql's aligned text layout for the command face and for descriptions on
 * the screen: a header, a rule, padded cells (display width, so wide
 * characters line up), multi-line values continued on the next lines, and
 * the "(N rows)" footer.
 */
import stringWidth from 'string-width';
import type { Description } from './catalog/describe.js';

export interface TextTableOptions {
  /** How NULL is shown (psql: nothing). */
  nullText?: string;
  title?: string;
  footer?: boolean;
}

export function alignedTable(columns: string[], rows: (string | null)[][], options: TextTableOptions = {}): string[] {
  const nullText = options.nullText ?? '';
  const cells = rows.map((row) => columns.map((_, i) => (row[i] === null || row[i] === undefined ? nullText : (row[i] as string)).split('\n')));
  const widths = columns.map((name, i) => Math.max(stringWidth(name), ...cells.map((r) => Math.max(...(r[i] as string[]).map((l) => stringWidth(l))))));
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - stringWidth(text)));
  const center = (text: string, width: number) => {
    const left = Math.floor((width - stringWidth(text)) / 2);
    return pad(' '.repeat(Math.max(0, left)) + text, width);
  };
  const lines: string[] = [];
  const total = widths.reduce((a, w) => a + w + 3, -1);
  if (options.title) lines.push(center(options.title, Math.max(total, stringWidth(options.title))).trimEnd());
  lines.push(columns.map((c, i) => ` ${center(c, widths[i] as number)} `).join('|').trimEnd());
  lines.push(widths.map((w) => '-'.repeat(w + 2)).join('+'));
  for (const row of cells) {
    const height = Math.max(1, ...row.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      const last = columns.length - 1;
      lines.push(
        row
          .map((c, i) => {
            const text = c[k] ?? '';
            const more = k < c.length - 1 ? '+' : ' ';
            return ` ${i === last ? text : pad(text, widths[i] as number)}${i === last ? '' : more}`;
          })
          .join('|')
          .trimEnd(),
      );
    }
  }
  if (options.footer !== false) lines.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return lines;
}

export function describeLines(d: Description): string[] {
  const lines = alignedTable(d.columns, d.rows, { title: d.title, footer: false });
  for (const f of d.footer) lines.push(f);
  for (const s of d.sections) {
    lines.push(s.title);
    lines.push(...s.lines);
  }
  return lines;
}
