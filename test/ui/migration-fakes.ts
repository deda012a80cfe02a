/**
 * Fake migration data for screen tests, built with the engine's own pure
 * status computation so the screens see exactly the shapes the real service
 * returns.
 */
import type { MigrationStatus } from '../../src/core/migrations/status.js';
import { buildStatus, type RecordRow, type SideRow } from '../../src/core/migrations/status-model.js';
import { splitMigration } from '../../src/core/migrations/split.js';
import type { MigrationFile } from '../../src/core/migrations/files.js';

export const FAKE_FILES: MigrationFile[] = [
  ['001', 'initial_schema', 'CREATE TABLE sessions (session_id uuid PRIMARY KEY);', 'DROP TABLE sessions;'],
  ['002', 'add_scrape_job_ids_column_to_', "ALTER TABLE documentation_items ADD COLUMN scrape_job_ids jsonb NULL DEFAULT '[]'::jsonb;", 'ALTER TABLE documentation_items DROP COLUMN scrape_job_ids;'],
  ['003', 'add_normalized_input_column_to_jobs_', "ALTER TABLE jobs ADD COLUMN normalized_input jsonb NOT NULL DEFAULT '{}'::jsonb;", 'ALTER TABLE jobs DROP COLUMN normalized_input;'],
].map(([id, slug, up, down]) => {
  const content = `-- Revision ${id}\n\n-- Up Migration\n${up}\n\n-- Down Migration\n${down}\n`;
  return { id: id as string, seq: Number(id), slug: slug as string, name: `${id}_${slug}`, fileName: `${id}_${slug}.sql`, file: `/srv/sql-migrations/${id}_${slug}.sql`, sha256: String(id).repeat(22).slice(0, 64), content, sections: splitMigration(content) };
});

/** The status of a database at `current` (null = base) against FAKE_FILES. */
export function fakeStatus(current: string | null, extra: { drifted?: string[] } = {}): MigrationStatus {
  const upto = current === null ? 0 : FAKE_FILES.findIndex((f) => f.id === current) + 1;
  const applied = FAKE_FILES.slice(0, upto);
  const records: RecordRow[] = applied.map((f) => ({ name: f.name, runOn: '2024-05-01T10:00:00.000Z' }));
  const side: SideRow[] = applied.map((f) => ({
    name: f.name,
    revision: f.id,
    sha256: extra.drifted?.includes(f.id) ? 'e'.repeat(64) : f.sha256,
    appliedAt: '2024-05-01T10:00:00.000Z',
    durationMs: 12,
    source: 'upgrade',
    state: 'applied',
    statementsDone: null,
    statementsTotal: null,
    error: null,
  }));
  return buildStatus({ dir: '/srv/sql-migrations', files: FAKE_FILES, recordTableExists: true, records, side, alembic: { exists: false, values: [] }, tables: upto > 0 ? ['sessions'] : [], lock: { held: false, holder: null, waiting: [] } });
}
