/**
 * Write a whole result to a CSV or JSON file: the rows already fetched and
 * then the rest from the cursor, streamed (never all in memory). The file is
 * written under a temporary name beside the target and renamed only when
 * complete, so a failed export never leaves a file that looks whole; an
 * existing file is never overwritten.
 */
import { createWriteStream, existsSync, linkSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { ToolError } from '../errors.js';
import type { Row } from './row-store.js';
import type { ResultSet } from './result-set.js';
import { csvLine, jsonRowWriter } from './value-format.js';

export type ExportFormat = 'csv' | 'json';

export interface ExportSummary {
  file: string;
  rows: number;
  bytes: number;
  format: ExportFormat;
}

/** The format a file name asks for (.csv or .json), else undefined. */
export function formatForFile(file: string): ExportFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.json' ? 'json' : undefined;
}

/** Every row of a result, from the first, fetching the rest as it goes. */
export async function* allRows(result: ResultSet, onProgress?: (rows: number) => void): AsyncGenerator<Row> {
  const streaming = result as ResultSet & { rows?: (p?: (n: number) => void) => AsyncGenerator<Row> };
  if (typeof streaming.rows === 'function') {
    yield* streaming.rows(onProgress);
    return;
  }
  for (let i = 0; ; i++) {
    if (i >= result.loaded) {
      if (result.done) return;
      await result.ensure(i + 1);
      if (i >= result.loaded) return;
    }
    yield result.get(i) as Row;
  }
}

export async function exportResult(result: ResultSet, file: string, format: ExportFormat, onProgress?: (rows: number) => void): Promise<ExportSummary> {
  const target = path.resolve(file);
  if (existsSync(target)) throw new ToolError('failed', `${file} already exists; choose another name (exports never overwrite)`, { exitCode: 1 });
  if (!existsSync(path.dirname(target))) throw new ToolError('not_found', `the folder ${path.dirname(file)} does not exist`);
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}`);
  // Opened here, synchronously, so a failure below can always remove it.
  const out = createWriteStream('', { fd: openSync(partial, 'wx', 0o600) });
  let bytes = 0;
  let rows = 0;
  let writeError: Error | undefined;
  out.on('error', (e) => (writeError = e));
  const write = async (text: string) => {
    if (writeError) throw writeError;
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    if (format === 'csv') {
      await write(csvLine(result.columns.map((c) => c.name)));
      for await (const row of allRows(result, onProgress)) {
        await write(csvLine(row));
        rows++;
      }
    } else {
      const toJson = jsonRowWriter(result.columns);
      await write('[');
      for await (const row of allRows(result, onProgress)) {
        await write((rows === 0 ? '\n' : ',\n') + toJson(row));
        rows++;
      }
      await write(rows === 0 ? ']\n' : '\n]\n');
    }
    out.end();
    await once(out, 'finish');
    // link() fails when the name was taken meanwhile: never overwrite, even in a race.
    linkSync(partial, target);
    rmSync(partial, { force: true });
    return { file: target, rows, bytes, format };
  } catch (error) {
    out.destroy();
    rmSync(partial, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ToolError('failed', `${file} already exists; choose another name (exports never overwrite)`);
    throw error;
  }
}
