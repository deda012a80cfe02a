/**
 * Stream a result to a writable as CSV, JSON or psql's aligned table,
 * page by page with back-pressure, so `query --format csv > file` of a
 * million rows never holds them all. The table layout takes its column
 * widths from the first batch (like psql with FETCH_COUNT); later longer
 * values simply push their row wider.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { allRows } from './export.js';
import type { ResultSet } from './result-set.js';
import type { Row } from './row-store.js';
import { csvLine, jsonRowWriter } from './value-format.js';

export type OutputFormat = 'table' | 'csv' | 'json';

async function writeText(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function streamCsv(result: ResultSet, out: Writable, header = true): Promise<number> {
  let buffer = header ? csvLine(result.columns.map((c) => c.name)) : '';
  let rows = 0;
  for await (const row of allRows(result)) {
    buffer += csvLine(row);
    rows++;
    if (buffer.length > 64 * 1024) {
      await writeText(out, buffer);
      buffer = '';
    }
  }
  await writeText(out, buffer);
  return rows;
}

/** A JSON array of row objects, one row per line. */
export async function streamJsonArray(result: ResultSet, out: Writable, indent = ''): Promise<number> {
  const toJson = jsonRowWriter(result.columns);
  let rows = 0;
  let buffer = '[';
  for await (const row of allRows(result)) {
    buffer += (rows === 0 ? '\n' : ',\n') + indent + toJson(row);
    rows++;
    if (buffer.length > 64 * 1024) {
      await writeText(out, buffer);
      buffer = '';
    }
  }
  buffer += rows === 0 ? ']' : `\n${indent.slice(2)}]`;
  await writeText(out, buffer);
  return rows;
}

const BATCH = 1000;

export async function streamTable(result: ResultSet, out: Writable, options: { nullText: string }): Promise<number> {
  const names = result.columns.map((c) => c.name);
  const first: Row[] = [];
  const iterator = allRows(result);
  let next = await iterator.next();
  while (!next.done && first.length < BATCH) {
    first.push(next.value);
    next = await iterator.next();
  }
  // Only the table measures display width (string-width builds an Intl.Segmenter as it loads, ~20 ms).
  const { default: stringWidth } = await import('string-width');
  const show = (v: string | null) => (v === null ? options.nullText : v.replace(/\r?\n/g, '↵'));
  const widths = names.map((n, i) => Math.max(stringWidth(n), ...first.map((r) => stringWidth(show(r[i] ?? null)))));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - stringWidth(s)));
  const line = (cells: string[]) => cells.map((c, i) => ` ${i === cells.length - 1 ? c : pad(c, widths[i] as number)} `).join('|').trimEnd() + '\n';
  const centred = names.map((n, i) => {
    const w = widths[i] as number;
    const left = Math.floor((w - stringWidth(n)) / 2);
    return pad(' '.repeat(left) + n, w);
  });
  let buffer = line(centred) + widths.map((w) => '-'.repeat(w + 2)).join('+') + '\n';
  let rows = 0;
  const add = async (row: Row) => {
    buffer += line(names.map((_, i) => show(row[i] ?? null)));
    rows++;
    if (buffer.length > 64 * 1024) {
      await writeText(out, buffer);
      buffer = '';
    }
  };
  for (const row of first) await add(row);
  while (!next.done) {
    await add(next.value);
    next = await iterator.next();
  }
  buffer += `(${rows} row${rows === 1 ? '' : 's'})\n\n`;
  await writeText(out, buffer);
  return rows;
}
