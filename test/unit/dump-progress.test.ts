import { describe, expect, it } from 'vitest';
import { DumpProgress, parseDumpLine } from '../../src/core/backups/dump-progress.js';

const tables = [
  { oid: 1, schema: 'public', name: 'big', bytes: 90_000_000, rows: 1000 },
  { oid: 2, schema: 'public', name: 'we.ird"x', bytes: 10_000_000, rows: -1 },
  { oid: 3, schema: 'app', name: 'empty', bytes: 0, rows: 0 },
];

describe("pg_dump --verbose lines", () => {
  it.each([
    ['pg_dump: dumping contents of table "public.jobs"', { kind: 'table', qualified: 'public.jobs' }],
    ['pg_dump: dumping contents of table "public.we.ird"x"', { kind: 'table', qualified: 'public.we.ird"x' }],
    ['pg_dump: reading extensions', { kind: 'step', text: 'reading extensions' }],
    ['pg_dump: error: query failed: ERROR:  permission denied for table jobs', { kind: 'problem', text: 'pg_dump: error: query failed: ERROR:  permission denied for table jobs' }],
    ['pg_dump: detail: Query was: LOCK TABLE', { kind: 'problem', text: 'pg_dump: detail: Query was: LOCK TABLE' }],
    ['something else entirely', { kind: 'problem', text: 'something else entirely' }],
    ['', undefined],
  ])('%s', (line, parsed) => {
    expect(parseDumpLine(line)).toEqual(parsed);
  });
});

describe('progress estimated from the catalog', () => {
  it('weights tables by size, moves inside a table with COPY samples, never goes back, and keeps 1% for the end', () => {
    const p = new DumpProgress(tables, false);
    expect(p.fraction()).toBe(0);
    p.onLine('pg_dump: dumping contents of table "public.big"');
    expect(p.activity).toBe('public.big');
    p.onCopySample({ relid: 1, tuples: 500, bytes: 1 });
    const half = p.fraction() as number;
    expect(half).toBeGreaterThan(0.4);
    expect(half).toBeLessThan(0.5);
    p.onCopySample({ relid: 1, tuples: 100, bytes: 1 }); // an older sample never moves it back
    expect(p.fraction()).toBe(half);
    p.onCopySample({ relid: 2, tuples: 1, bytes: 1 }); // not the current table: ignored
    expect(p.fraction()).toBe(half);
    p.onLine('pg_dump: dumping contents of table "public.we.ird"x"');
    // never analysed (rows -1): bytes against size, capped below the whole table
    p.onCopySample({ relid: 2, tuples: 10, bytes: 50_000_000 });
    p.onLine('pg_dump: dumping contents of table "app.empty"');
    p.onLine('pg_dump: creating CONSTRAINT "public.big big_pkey"');
    expect(p.fraction()).toBeCloseTo(0.99 * ((90_000_000 + 8192 + 10_000_000 + 8192) / (100_000_000 + 3 * 8192)), 6);
    expect(p.tablesDone).toBe(3);
    expect(p.activity).toBe('creating CONSTRAINT "public.big big_pkey"');
  });

  it('schema only has no percentage; a lock wait is named', () => {
    const p = new DumpProgress(tables, true);
    p.onLine('pg_dump: reading schemas');
    expect(p.fraction()).toBeUndefined();
    p.onWait([4242]);
    expect(p.activity).toBe('waiting for a lock held by pid 4242 (reading schemas)');
    p.onWait([]);
    expect(p.activity).toBe('reading schemas');
  });

  it('a database without tables still finishes', () => {
    const p = new DumpProgress([], false);
    expect(p.fraction()).toBe(0);
  });
});
