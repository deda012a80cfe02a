/**
 * Every backup kind against the real server: the file restores into an
 * empty database with every table's row count and ordered-rows md5 equal
 * to the source; gzip -t passes; the manifest's sha256 is the file's.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/core/backups/backup.js';
import { revisionReaderFor } from '../../src/core/backups/migration-revision.js';
import { planRestore } from '../../src/core/backups/restore-plan.js';
import { executeRestore } from '../../src/core/backups/restore.js';
import { parseManifest } from '../../src/core/backups/manifest.js';
import { shippedMigrationsDir } from '../../src/core/system/package-root.js';
import { adminQuery as sharedAdminQuery, createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';
import { fillConnectorDatabase, fingerprint } from '../harness/connector-fixture.js';
import { catalog } from '../harness/catalog.js';

const DIR = mkdtempSync(path.join(os.tmpdir(), 'cdb-backups-'));
const created: string[] = [];
let dc: DumpCluster;
const adminQuery: typeof sharedAdminQuery = (sql, params = [], database = 'postgres') => sharedAdminQuery(sql, params, database, dc.info);

async function restoreInto(file: string, into: string, db: TestDatabase, options: { noOwner?: boolean } = {}) {
  created.push(into);
  const plan = await planRestore({ db: db.settings, file, into, noOwner: options.noOwner ?? false, noAcl: false });
  const result = await executeRestore(plan, { db: db.settings, force: false, readRevision: revisionReaderFor(shippedMigrationsDir()) });
  const restored: Pick<TestDatabase, 'query'> = { query: (sql, params = []) => adminQuery(sql, params, into) };
  return { plan, result, restored };
}

describe('backup and restore, every kind, on the real server', () => {
  let db: TestDatabase;
  let source: Awaited<ReturnType<typeof fingerprint>>;
  beforeAll(async () => {
    dc = await dumpableCluster();
    db = await createTestDatabase('backup_src', dc.info);
    await fillConnectorDatabase(db, 2500);
    source = await fingerprint(db);
  }, 60_000);
  afterAll(async () => {
    for (const name of created) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await db.drop();
    dc.stop();
  });

  it('the fixture really holds the awkward values', () => {
    expect(source.documentation_items?.rows).toBe(2500);
    expect(source.jobs?.rows).toBe(2500);
    expect(Object.keys(source)).toEqual(expect.arrayContaining(['sessions', 'documentation_items', 'jobs', 'session_data', 'job_progress', 'relevant_chunks', 'pgmigrations']));
  });

  for (const kind of ['plain', 'gzip', 'custom'] as const) {
    it(`${kind}: the file restores into an empty database identical to the source`, async () => {
      const events: string[] = [];
      const fractions: number[] = [];
      const result = await runBackup({
        db: db.settings,
        dir: DIR,
        format: { kind, schemaOnly: false },
        toolVersion: 'test',
        readRevision: revisionReaderFor(shippedMigrationsDir()),
        progressIntervalMs: 20,
        onEvent: (e) => {
          events.push(e.type);
          if (e.type === 'progress' && e.fraction !== undefined) fractions.push(e.fraction);
        },
      });
      const ext = { plain: '.sql', gzip: '.sql.gz', custom: '.dump' }[kind];
      expect(result.file).toMatch(new RegExp(`^${db.name}_\\d{8}_\\d{6}(_\\d+)?${ext.replace(/\./g, '\\.')}$`));
      expect(events[0]).toBe('start');
      expect(events).toContain('written');
      // The bar moved forward and never back.
      expect(fractions.length).toBeGreaterThan(0);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));

      const bytes = readFileSync(result.path);
      const manifest = parseManifest(readFileSync(result.manifestPath, 'utf8'));
      if (!manifest.ok) throw new Error(manifest.problem);
      expect(manifest.manifest.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(manifest.manifest.size).toBe(bytes.length);
      expect(manifest.manifest).toMatchObject({ database: db.name, format: { kind, schemaOnly: false }, migration: { current: '003', head: '003', pending: 0 } });
      expect(manifest.manifest.pgDump.version).toMatch(/^\d+\.\d+$/);
      if (kind === 'gzip') execFileSync('gzip', ['-t', result.path]);
      if (kind === 'custom') expect(bytes.subarray(0, 5).toString()).toBe('PGDMP');

      const into = `${db.name}_r_${kind}`;
      const { plan, result: restored, restored: target } = await restoreInto(result.path, into, db);
      expect(plan.mode).toBe('create');
      expect(plan.verification).toBe('ok');
      expect(restored.revision).toMatchObject({ current: '003', head: '003' });
      expect(await fingerprint(target)).toEqual(source);
    });
  }

  it('schema only: the same schema, no rows', async () => {
    const result = await runBackup({ db: db.settings, dir: DIR, format: { kind: 'plain', schemaOnly: true }, toolVersion: 'test' });
    expect(result.file).toMatch(/_schema(_\d+)?\.sql$/);
    const into = `${db.name}_r_schema`;
    const { restored } = await restoreInto(result.path, into, db);
    // A CHECK with IN (...) comes back from a dump deparsed with its casts in other places; compare without casts and parentheses.
    const comparable = async (d: Parameters<typeof catalog>[0]) => {
      const c = await catalog(d, { withBookkeeping: true });
      return { ...c, constraints: c.constraints.map((line) => line.replace(/::[a-z ]+(\[\])?/g, '').replace(/[()]/g, '')) };
    };
    expect(await comparable(restored)).toEqual(await comparable(db));
    const counts = Object.values(await fingerprint(restored)).map((t) => t.rows);
    expect(counts.every((n) => n === 0)).toBe(true);
  });

  it('two backups in the same second get different names; nothing is overwritten', async () => {
    const at = new Date('2030-01-02T03:04:05Z');
    const a = await runBackup({ db: db.settings, dir: DIR, format: { kind: 'plain', schemaOnly: true }, toolVersion: 'test', now: () => at });
    const b = await runBackup({ db: db.settings, dir: DIR, format: { kind: 'plain', schemaOnly: true }, toolVersion: 'test', now: () => at });
    expect(a.file).toBe(`${db.name}_20300102_030405_schema.sql`);
    expect(b.file).toBe(`${db.name}_20300102_030405_schema_2.sql`);
    expect(readdirSync(DIR).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});
