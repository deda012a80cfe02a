/**
 * CSV and JSON correctness on awkward values: NULL, the empty string,
 * quotes, commas, newlines, unicode, jsonb, arrays, bytea, timestamptz.
 * The cursor path (screen export, `query` of non-COPY statements) must
 * write exactly what the server's own COPY ... CSV writes; the JSON must
 * keep every value's meaning.
 */
import { mkdtempSync, readFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../src/core/query/console-session.js';
import { exportResult } from '../../src/core/query/export.js';
import { streamCsv } from '../../src/core/query/stream-out.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';

const FIXTURE = `SELECT * FROM (VALUES
  (1, NULL::text, NULL::jsonb, NULL::int[], NULL::bytea, NULL::timestamptz),
  (2, '', '{}'::jsonb, '{}'::int[], ''::bytea, '2024-02-29 23:59:59.123456+00'::timestamptz),
  (3, 'say "hi", then
leave', '{"a": [1, 2.5, null, "x,y"], "b": {"c": true}}'::jsonb, '{1,NULL,3}'::int[], '\\x00ff10'::bytea, '1999-12-31 12:00:00-08'::timestamptz),
  (4, 'héllo 世界 😀', '"just a string"'::jsonb, '{{1,2},{3,4}}'::int[], '\\xdeadbeef'::bytea, 'infinity'::timestamptz),
  (5, E'tab\\there\\r\\nCRLF', '[1, "two"]'::jsonb, '{-1}'::int[], '\\x'::bytea, '2000-01-01 00:00:00+00'::timestamptz),
  (6, '\\.', 'null'::jsonb, '{0}'::int[], '\\x5c'::bytea, '2000-01-01 00:00:00+05:30'::timestamptz)
) AS t(id, txt, doc, nums, bin, at)`;

describe('export and streaming formats on awkward values', () => {
  let db: TestDatabase;
  let session: ConsoleSession;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('query_export');
    session = await ConsoleSession.open(db.settings, { readOnly: false, statementTimeout: 0, pageSize: 2 });
    await session.catalogQuery("SET TIME ZONE 'UTC'");
    dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-export-'));
  });
  afterAll(async () => {
    await session?.close();
    await db?.drop();
  });

  async function copyCsv(sql: string): Promise<string> {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const r = await session.copyOut(sql, sink, { csvHeader: true });
    if ('kind' in r) throw new Error(r.error.message);
    return Buffer.concat(chunks).toString('utf8');
  }

  it('the cursor path writes byte for byte what COPY (FORMAT csv, HEADER) writes', async () => {
    const fromCopy = await copyCsv(FIXTURE);
    const out = await session.execute(FIXTURE);
    if (out.kind !== 'rows') throw new Error('expected rows');
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await streamCsv(out.result, sink);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(fromCopy);
    // The facts, not just equality: NULL is nothing, '' is "", quotes doubled, newlines quoted.
    const lines = fromCopy.split('\n');
    expect(lines[0]).toBe('id,txt,doc,nums,bin,at');
    expect(lines[1]).toBe('1,,,,,');
    expect(lines[2]).toBe('2,"",{},{},\\x,2024-02-29 23:59:59.123456+00');
    expect(fromCopy).toContain('3,"say ""hi"", then\nleave","{""a"": [1, 2.5, null, ""x,y""], ""b"": {""c"": true}}","{1,NULL,3}",\\x00ff10,1999-12-31 20:00:00+00');
    expect(fromCopy).toContain('4,héllo 世界 😀,"""just a string""","{{1,2},{3,4}}",\\xdeadbeef,infinity');
    expect(fromCopy).toContain('6,\\.,null,');
  });

  it('exports the whole result to CSV (beyond the loaded page) identical to COPY, then to JSON with typed values', async () => {
    const fromCopy = await copyCsv(FIXTURE);
    let out = await session.execute(FIXTURE);
    if (out.kind !== 'rows') throw new Error('expected rows');
    expect(out.result.loaded).toBe(2); // pageSize 2: the export must fetch the rest
    const csvFile = path.join(dir, 'all.csv');
    const summary = await exportResult(out.result, csvFile, 'csv');
    expect(summary.rows).toBe(6);
    expect(readFileSync(csvFile, 'utf8')).toBe(fromCopy);

    out = await session.execute(FIXTURE);
    if (out.kind !== 'rows') throw new Error('expected rows');
    const jsonFile = path.join(dir, 'all.json');
    await exportResult(out.result, jsonFile, 'json');
    const doc = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, unknown>[];
    expect(doc).toHaveLength(6);
    expect(doc[0]).toEqual({ id: 1, txt: null, doc: null, nums: null, bin: null, at: null });
    expect(doc[1]).toEqual({ id: 2, txt: '', doc: {}, nums: [], bin: '\\x', at: '2024-02-29 23:59:59.123456+00' });
    expect(doc[2]).toEqual({ id: 3, txt: 'say "hi", then\nleave', doc: { a: [1, 2.5, null, 'x,y'], b: { c: true } }, nums: [1, null, 3], bin: '\\x00ff10', at: '1999-12-31 20:00:00+00' });
    expect(doc[3]).toEqual({ id: 4, txt: 'héllo 世界 😀', doc: 'just a string', nums: [[1, 2], [3, 4]], bin: '\\xdeadbeef', at: 'infinity' });
    expect(doc[4]).toMatchObject({ txt: 'tab\there\r\nCRLF', doc: [1, 'two'], nums: [-1] });
    expect(doc[5]).toMatchObject({ txt: '\\.', doc: null, bin: '\\x5c' });
  });

  it('never overwrites a file and leaves no partial file when the export fails', async () => {
    const taken = path.join(dir, 'taken.csv');
    writeFileSync(taken, 'keep me');
    const out = await session.execute('SELECT 1 AS a');
    if (out.kind !== 'rows') throw new Error('expected rows');
    await expect(exportResult(out.result, taken, 'csv')).rejects.toThrow(/already exists/);
    expect(readFileSync(taken, 'utf8')).toBe('keep me');

    const failing = await session.execute('SELECT 1 / (g - 3) AS boom FROM generate_series(1, 10) g');
    if (failing.kind !== 'rows') throw new Error('expected rows');
    const file = path.join(dir, 'boom.csv');
    await expect(exportResult(failing.result, file, 'csv')).rejects.toThrow(/division by zero/);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });
});
