/** What the tool reads from migration DDL and the advice it words from it (pure). */
import { describe, expect, it } from 'vitest';
import { dropsUnreadably, matchRevision, objectsCreatedBy, tablesDroppedBy } from '../../src/core/migrations/schema-match.js';
import { historyAdvice, partialFixes } from '../../src/core/migrations/advice.js';
import { refuseResetThatCannotFinish } from '../../src/core/backups/reset-check.js';
import { withSafetyBackup } from '../../src/core/backups/reset-describe.js';
import { buildStatus } from '../../src/core/migrations/status-model.js';
import { splitMigration } from '../../src/core/migrations/split.js';
import type { MigrationFile } from '../../src/core/migrations/files.js';
import { ToolError } from '../../src/core/errors.js';

function file(id: string, slug: string, content: string): MigrationFile {
  return { id, seq: Number(id), name: `${id}_${slug}`, slug, fileName: `${id}_${slug}.sql`, file: `/m/${id}_${slug}.sql`, sha256: 'x'.repeat(64), content, sections: splitMigration(content) };
}

describe('reading DDL', () => {
  it('DROP TABLE lists, IF EXISTS, schemas, quotes and CASCADE', () => {
    expect(tablesDroppedBy('-- Down Migration\nDROP TABLE a;\ndrop table if exists "B", public.c CASCADE;\n-- DROP TABLE commented;\n/* DROP TABLE gone; */')).toEqual(['a', 'B', 'c']);
  });

  it('a DO block, a procedure or DROP SCHEMA cannot be read for what it drops', () => {
    expect(dropsUnreadably("DO $$ BEGIN EXECUTE 'DROP TABLE a'; END $$;")).toBe(true);
    expect(dropsUnreadably('CALL drop_everything();')).toBe(true);
    expect(dropsUnreadably('DROP SCHEMA app CASCADE;')).toBe(true);
    expect(dropsUnreadably('DROP TABLE a; -- DO $$ nothing')).toBe(false);
  });

  it('the walk stops at the first file whose objects are not all there', () => {
    const files = [file('001', 'a', '-- Up Migration\nCREATE TABLE a (id int);'), file('002', 'b', '-- Up Migration\nALTER TABLE a ADD COLUMN v int;')];
    const perFile = files.map((f) => objectsCreatedBy(f.sections.up.text));
    expect(matchRevision(files, perFile, [[true], [false]])).toEqual({ revision: '001', reason: "everything 001–001 creates is there; 002_b.sql's column a.v is not" });
    expect(matchRevision(files, perFile, [[true], [true]])).toEqual({ revision: '002', reason: 'everything 001–002 creates is there' });
    expect(matchRevision(files, perFile, [[false], [true]]).revision).toBeNull();
  });
});

describe('advice', () => {
  it('a schema without history: the stamp of the matching revision, or REV with the reason, never head', () => {
    const files = [file('001', 'a', '')];
    expect(historyAdvice(['a'], files, { revision: '001', reason: 'r' }).fixes[0]).toBe('connector-db migrate stamp 001 --sql   # preview: records 001 as applied, runs nothing (r)');
    const none = historyAdvice(['a'], files, { revision: null, reason: "the tables are not 001_a.sql's: table b missing" });
    expect(none.next).toMatch(/^They match no revision connector-db can verify \(the tables are not 001_a\.sql's: table b missing\)/);
    expect([...none.fixes, none.next].join('\n')).not.toMatch(/head/);
  });

  it('a file stopped half-way going down: finish it and stamp the revision below, or put it back and run it again', () => {
    const files = [file('001', 'a', ''), file('002', 'b', '')];
    expect(partialFixes(files[1] as MigrationFile, { direction: 'down', statementsDone: 2, statementsTotal: 4 }, files)).toEqual([
      'finish its down by hand (statements 3–4 of the down section of /m/002_b.sql), then record it, running nothing: connector-db migrate stamp 001',
      'or put back what its down statements 1–2 removed, then run it again: connector-db migrate downgrade 001',
    ]);
    expect(partialFixes(files[0] as MigrationFile, { direction: 'down', statementsDone: 1, statementsTotal: 2 }, files)[0]).toMatch(/migrate stamp base$/);
  });
});

describe('can a reset come back up', () => {
  const lock = { held: false, holder: null, waiting: [] };
  const at = (files: MigrationFile[], tables: string[], downsToRun = files.length) =>
    buildStatus({ dir: '/m', files, recordTableExists: true, records: files.slice(0, downsToRun).map((f) => ({ name: f.name, runOn: null })), side: [], alembic: { exists: false, values: [] }, tables, lock });
  const refusal = (run: () => void) => {
    try {
      run();
    } catch (error) {
      return error as ToolError;
    }
    return null;
  };

  it('every table the files create is dropped by a down that runs: no refusal, whatever else is there', () => {
    const files = [file('001', 'a', '-- Up Migration\nCREATE TABLE a (id int);\n-- Down Migration\nDROP TABLE a;'), file('002', 'b', '-- Up Migration\nCREATE TABLE b (id int);\n-- Down Migration\nDROP TABLE IF EXISTS b;')];
    expect(refusal(() => refuseResetThatCannotFinish(at(files, ['a', 'b', 'big', 'spatial_ref_sys']), files))).toBeNull();
  });

  it('a table no down drops, or a later file\'s table made by hand: refused with the DROP to add', () => {
    const files = [file('001', 'a', '-- Up Migration\nCREATE TABLE a (id int);\n-- Down Migration\nDROP TABLE a;'), file('002', 'b', '-- Up Migration\nCREATE TABLE b (id int);\n-- Down Migration\nDROP TABLE b;')];
    const e = refusal(() => refuseResetThatCannotFinish(at(files, ['a', 'b'], 1), files));
    expect(e?.code).toBe('schema_without_history');
    expect(e?.message).toMatch(/^After the down migrations b would still be there: 002_b\.sql creates it and no down section that would run \(001\) drops it\./);
    expect(e?.fixes[0]).toBe('add "DROP TABLE b;" to the down section of /m/002_b.sql');
  });

  it('a down it cannot read is given the benefit of the doubt', () => {
    const files = [file('001', 'a', "-- Up Migration\nCREATE TABLE a (id int);\n-- Down Migration\nDO $$ BEGIN EXECUTE 'DROP TABLE a'; END $$;")];
    expect(refusal(() => refuseResetThatCannotFinish(at(files, ['a']), files))).toBeNull();
  });
});

describe('a reset that failed after its safety backup', () => {
  it('says first where the contents from before are, keeping code, message, evidence and fixes', () => {
    const e = new ToolError('migration_failed', 'Reset of db stopped part-way: ...', { evidence: ['SQLSTATE 42703'], fixes: ['once the cause is fixed, finish it: connector-db migrate upgrade head'] });
    const out = withSafetyBackup(e, "/srv/backups/db_20250101_000000.sql.gz") as ToolError;
    expect(out).toMatchObject({ code: 'migration_failed', message: e.message, evidence: e.evidence, exitCode: 1 });
    expect(out.fixes).toEqual(['the contents from before the reset are in /srv/backups/db_20250101_000000.sql.gz: connector-db restore /srv/backups/db_20250101_000000.sql.gz', ...e.fixes]);
    expect(withSafetyBackup(e, null)).toBe(e);
  });
});
