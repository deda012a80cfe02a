/**
 * The catalog commands on the connector schema against the real server,
 * checked fact for fact against what psql itself prints for the same
 * command (psql -A: unaligned, so only the layout differs, never a fact).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../src/core/query/console-session.js';
import { parseMeta } from '../../src/core/query/catalog/meta.js';
import { runCatalog, type CatalogOutput } from '../../src/core/query/catalog/run-meta.js';
import { describeLines } from '../../src/core/query/text-table.js';
import { adminQuery, cluster, createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { applyConnectorSchema } from '../harness/connector-schema.js';

function psqlPath(): string {
  const beside = path.join(cluster().binDir, 'psql');
  return existsSync(beside) ? beside : 'psql';
}

function majorOf(output: string): number {
  return Number(/(\d+)(?:\.\d+)?/.exec(output)?.[1] ?? 0);
}

/** The psql on this machine (15 on Debian here): a server newer than it gets newer layouts for \l and \du. */
const psqlMajor = () => majorOf(spawnSync(psqlPath(), ['--version'], { encoding: 'utf8' }).stdout);

function psql(db: TestDatabase, command: string): string {
  const r = spawnSync(psqlPath(), ['-X', '-A', '-d', db.url, '-c', command], { encoding: 'utf8', env: { ...process.env, PGOPTIONS: '' } });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout.replace(/\n$/, '');
}

/** Our output in psql's unaligned layout: title, header, rows joined by |, footer and sections. */
function unaligned(out: CatalogOutput): string {
  if (out.kind === 'table') {
    const t = out.table;
    return [t.title, t.columns.join('|'), ...t.rows.map((r) => r.map((v) => v ?? '').join('|')), ...(t.noFooter ? [] : [`(${t.rows.length} row${t.rows.length === 1 ? '' : 's'})`])].join('\n');
  }
  return out.descriptions
    .map((d) => [d.title, d.columns.join('|'), ...d.rows.map((r) => r.map((v) => v ?? '').join('|')), ...d.footer, ...d.sections.flatMap((s) => [s.title, ...s.lines])].join('\n'))
    .join('\n');
}

describe('catalog commands on the connector schema match psql', () => {
  let db: TestDatabase;
  let session: ConsoleSession;
  const run = (command: string) => {
    const parsed = parseMeta(command);
    if (!parsed.ok) throw new Error(parsed.message);
    return runCatalog((sql, params) => session.catalogQuery(sql, params), parsed.command, session.info.serverVersionNum);
  };

  beforeAll(async () => {
    db = await createTestDatabase('query_catalog');
    await applyConnectorSchema(db);
    await db.query(`CREATE VIEW running_jobs AS SELECT job_id, job_type FROM jobs WHERE status = 'running'`);
    await db.query(`CREATE SEQUENCE ticket_seq START 100 INCREMENT 5`);
    await db.query(`CREATE SCHEMA audit`);
    // Roles and databases are cluster-wide and other test files create theirs concurrently: list only ours.
    await adminQuery(`DROP ROLE IF EXISTS cdbq_reader; CREATE ROLE cdbq_reader NOLOGIN CONNECTION LIMIT 3; DROP ROLE IF EXISTS cdbq_owner; CREATE ROLE cdbq_owner CREATEDB IN ROLE cdbq_reader`);
    session = await ConsoleSession.open(db.settings, { readOnly: false, statementTimeout: 0 });
  });
  afterAll(async () => {
    await session?.close();
    await db?.drop();
    await adminQuery('DROP ROLE IF EXISTS cdbq_owner; DROP ROLE IF EXISTS cdbq_reader');
  });

  const tables = ['sessions', 'documentation_items', 'jobs', 'session_data', 'job_progress', 'relevant_chunks'];

  it.each(tables)('\\d %s: columns, indexes, checks, foreign keys and referenced-by are psql\'s', async (table) => {
    const ours = await run(`\\d ${table}`);
    expect(unaligned(ours)).toBe(psql(db, `\\d ${table}`));
  });

  it('\\d jobs carries the facts of the schema document', async () => {
    const out = await run('\\d jobs');
    if (out.kind !== 'describe') throw new Error('expected a description');
    const text = describeLines(out.descriptions[0]!).join('\n');
    expect(text).toContain('Table "public.jobs"');
    expect(text).toMatch(/normalized_input\s*\|\s*jsonb\s*\|\s*\|\s*not null\s*\|\s*'\{\}'::jsonb/);
    expect(text).toContain('"idx_jobs_status_type_created" btree (status, job_type, created_at)');
    expect(text).toContain('"jobs_session_id_fkey" FOREIGN KEY (session_id) REFERENCES sessions(session_id) ON DELETE CASCADE');
    expect(text).toContain('TABLE "job_progress" CONSTRAINT "job_progress_job_id_fkey"');
    expect(text).toContain('"check_job_status" CHECK');
  });

  it.each(['\\dt', '\\di', '\\dv', '\\dn', '\\d', '\\dt job*', '\\di ix_jobs_*', '\\dt public.session*'])('%s lists what psql lists', async (command) => {
    expect(unaligned(await run(command))).toBe(psql(db, command));
  });

  it('\\l and \\du list what psql of the server\'s version lists', async () => {
    const server = Math.floor(session.info.serverVersionNum / 10000);
    const l = `\\l ${db.name}`;
    const du = '\\du cdbq_*';
    if (psqlMajor() >= server) {
      expect(unaligned(await run(l))).toBe(psql(db, l));
      expect(unaligned(await run(du))).toBe(psql(db, du));
      return;
    }
    // This machine's psql is older than the server: psql 16 moved "Locale Provider" first and added
    // "ICU Rules", 17 renamed "ICU Locale" to "Locale", and 16 dropped \du's "Member of".
    const dbRow = (await db.query<{ line: string }>(
      `select concat_ws('|', datname, pg_get_userbyid(datdba), pg_encoding_to_char(encoding), 'libc', datcollate, datctype, '', '', coalesce(array_to_string(datacl, E'\\n'), '')) as line from pg_database where datname = current_database()`,
    )).rows[0]?.line;
    const locale = server >= 17 ? 'Locale' : 'ICU Locale';
    expect(unaligned(await run(l))).toBe(['List of databases', `Name|Owner|Encoding|Locale Provider|Collate|Ctype|${locale}|ICU Rules|Access privileges`, dbRow, '(1 row)'].join('\n'));
    expect(unaligned(await run(du))).toBe(['List of roles', 'Role name|Attributes', 'cdbq_owner|Create DB, Cannot login', 'cdbq_reader|Cannot login\n3 connections'].join('\n'));
    // Facts the older psql still prints correctly for the newer server: the same roles and attributes.
    if (server < 17) expect(psql(db, du).split('\n').slice(2).map((line) => line.replace(/\|\{[^}]*\}$/, ''))).toEqual(['cdbq_owner|Create DB, Cannot login', 'cdbq_reader|Cannot login', '3 connections']);
  });

  it('\\d of a view, an index and a sequence matches psql', async () => {
    for (const name of ['ix_job_progress_job_id', 'jobs_pkey', 'ticket_seq']) expect(unaligned(await run(`\\d ${name}`))).toBe(psql(db, `\\d ${name}`));
    const view = await run('\\d running_jobs');
    const theirs = psql(db, '\\d+ running_jobs');
    if (view.kind !== 'describe') throw new Error('expected a description');
    // psql shows the definition only with +; the facts we show are its.
    for (const line of unaligned(view).split('\n').filter((l) => !l.includes('|'))) expect(theirs).toContain(line);
  });

  it('an unknown name says so', async () => {
    const out = await run('\\d no_such_table');
    expect(out).toMatchObject({ kind: 'describe', descriptions: [], notFound: 'Did not find any relation named "no_such_table".' });
  });
});
