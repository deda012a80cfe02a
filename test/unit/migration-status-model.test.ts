/** The pure status computation: Alembic's record against ours, order problems, partial files. */
import { describe, expect, it } from 'vitest';
import { buildStatus, type StatusInput } from '../../src/core/migrations/status-model.js';
import { splitMigration } from '../../src/core/migrations/split.js';
import type { MigrationFile } from '../../src/core/migrations/files.js';

function file(id: string, slug: string, content = '-- Up Migration\nselect 1;\n-- Down Migration\n'): MigrationFile {
  return { id, seq: Number(id), name: `${id}_${slug}`, slug, fileName: `${id}_${slug}.sql`, file: `/m/${id}_${slug}.sql`, sha256: id.repeat(22).slice(0, 64), content, sections: splitMigration(content) };
}
const FILES = [file('001', 'a'), file('002', 'b'), file('003', 'c')];
const base = (over: Partial<StatusInput>): StatusInput => ({ dir: '/m', files: FILES, recordTableExists: true, records: [], side: [], alembic: { exists: false, values: [] }, tables: [], lock: { held: false, holder: null, waiting: [] }, ...over });
const rec = (...names: string[]) => names.map((name) => ({ name, runOn: null }));

describe('buildStatus', () => {
  it('Alembic behind our record wins (the app downgraded since)', () => {
    const s = buildStatus(base({ records: rec('001_a', '002_b', '003_c'), alembic: { exists: true, values: ['001'] }, tables: ['sessions'] }));
    expect(s.current).toBe('001');
    expect(s.pending).toEqual(['002', '003']);
    expect(s.alembic.agrees).toBe(false);
    expect(s.problems.find((p) => p.code === 'alembic_out_of_step')?.message).toMatch(/alembic_version says 001 and connector-db's record says 003/);
  });

  it('an empty alembic_version means base', () => {
    const s = buildStatus(base({ records: rec('001_a'), alembic: { exists: true, values: [] } }));
    expect(s.current).toBeNull();
    expect(s.pendingCount).toBe(3);
  });

  it('Alembic value "2" matches revision 002 by number', () => {
    expect(buildStatus(base({ alembic: { exists: true, values: ['2'] } })).current).toBe('002');
  });

  it('a pending file before an applied one is out of order', () => {
    const s = buildStatus(base({ records: rec('001_a', '003_c') }));
    expect(s.current).toBe('003');
    expect(s.outOfOrder).toEqual(['002']);
    expect(s.problems.map((p) => p.code)).toContain('migration_out_of_order');
  });

  it('a no-transaction file that stopped half-way is partial, with how far it got', () => {
    const s = buildStatus(
      base({
        records: rec('001_a'),
        side: [{ name: '002_b', revision: '002', sha256: 'x', appliedAt: null, durationMs: null, source: 'upgrade', state: 'partial', statementsDone: 1, statementsTotal: 3, error: 'up: boom' }],
      }),
    );
    expect(s.revisions[1]).toMatchObject({ state: 'partial', applied: false, partial: { statementsDone: 1, statementsTotal: 3, error: 'up: boom' } });
    expect(s.problems.find((p) => p.code === 'migration_partial')?.message).toMatch(/1 of 3 statements ran \(up: boom\)/);
  });

  it('at head with nothing pending, and an empty folder is at head too', () => {
    expect(buildStatus(base({ records: rec('001_a', '002_b', '003_c') })).atHead).toBe(true);
    expect(buildStatus(base({ files: [], recordTableExists: false })).atHead).toBe(true);
  });

  it('schema without history counts only the tables the files create', () => {
    const files = [file('001', 'a', '-- Up Migration\nCREATE TABLE sessions (id int);\nCREATE TABLE "Jobs" (id int);\n-- Down Migration\nDROP TABLE "Jobs", sessions;\n'), file('002', 'b', '-- Up Migration\nALTER TABLE sessions ADD COLUMN v int;\n')];
    const unrelated = buildStatus(base({ files, recordTableExists: false, tables: ['big', 'spatial_ref_sys'] }));
    expect(unrelated).toMatchObject({ schemaWithoutHistory: false, migratedTables: [], stampTo: null, current: null, pendingCount: 2 });
    expect(unrelated.problems.map((p) => p.code)).toEqual(['migrations_pending']);
    // Quoted names keep their case; unquoted ones fold to lower case, as PostgreSQL does.
    const mixed = buildStatus(base({ files, recordTableExists: false, tables: ['Jobs', 'big', 'sessions'], stampTo: { revision: '002', reason: 'everything 001–002 creates is there' } }));
    expect(mixed).toMatchObject({ schemaWithoutHistory: true, migratedTables: ['Jobs', 'sessions'], stampTo: { revision: '002' } });
    expect(mixed.problems[0]?.message).toBe(
      'Tables that the migration files create exist (Jobs, sessions) but no revision is recorded, so upgrading would re-run 001_a.sql into "already exists". They match 002 (everything 001–002 creates is there): record that with `migrate stamp 002`, which runs nothing.',
    );
    // Not looked up (a pure build): the advice says REV, never head.
    expect(buildStatus(base({ files, tables: ['sessions'] })).problems[0]?.message).toMatch(/record it with `migrate stamp REV`, which runs nothing\.$/);
    // A record anywhere is history: the same tables at 001 are no problem.
    expect(buildStatus(base({ files, records: rec('001_a'), tables: ['Jobs', 'sessions'] })).schemaWithoutHistory).toBe(false);
  });

  it('a first file that stopped half-way is history, not a schema without history', () => {
    const files = [file('001', 'a', '-- Up Migration\nCREATE TABLE sessions (id int);\nCREATE INDEX CONCURRENTLY s ON sessions (id);\n')];
    const s = buildStatus(base({ files, tables: ['sessions'], side: [{ name: '001_a', revision: '001', sha256: 'x', appliedAt: null, durationMs: null, source: 'upgrade', state: 'partial', statementsDone: 1, statementsTotal: 2, error: 'down: boom' }] }));
    expect(s.schemaWithoutHistory).toBe(false);
    expect(s.revisions[0]?.partial).toMatchObject({ direction: 'down', statementsDone: 1 });
    expect(s.problems.find((p) => p.code === 'migration_partial')).toMatchObject({ revision: '001' });
  });
});
