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
});
