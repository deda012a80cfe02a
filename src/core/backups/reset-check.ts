/**
 * Can a reset (every down migration, then every up) finish? Decided from the
 * status and the files before the first down step (pure), so a reset that
 * cannot come back up refuses while nothing has been emptied yet.
 *
 * What would stop it: anything the downgrade itself refuses (an unknown
 * revision, a file without a down section), a schema without history (no
 * down would run and the upgrade would refuse), and a table the files create
 * that no down section which would run drops: after going down it would be
 * left with no revision recorded, and the upgrade would stop on it. A down
 * section that may drop tables in ways its text does not show (a DO block,
 * DROP SCHEMA) is given the benefit of the doubt.
 */
import { ToolError } from '../errors.js';
import type { MigrationFile } from '../migrations/files.js';
import { currentIndexOf, planMove } from '../migrations/plan.js';
import { dropsUnreadably, tablesCreatedBy, tablesDroppedBy } from '../migrations/schema-match.js';
import type { MigrationStatus } from '../migrations/status-model.js';

export function refuseResetThatCannotFinish(status: MigrationStatus, files: MigrationFile[]): void {
  planMove(status, files, 'downgrade', 'base');
  if (status.schemaWithoutHistory) planMove(status, files, 'upgrade', 'head');
  const downs = files.slice(0, currentIndexOf(status, files) + 1).reverse();
  if (downs.some((f) => f.sections.down && dropsUnreadably(f.sections.down.text))) return;
  const dropped = new Set(downs.flatMap((f) => (f.sections.down ? tablesDroppedBy(f.sections.down.text) : [])));
  const left = status.migratedTables.filter((t) => !dropped.has(t));
  if (left.length === 0) return;
  const creators = tablesCreatedBy(files);
  const by = [...new Set(left.map((t) => (creators.get(t) as MigrationFile).fileName))];
  const one = left.length === 1;
  const ran = downs.length > 0 ? `no down section that would run (${downs.map((f) => f.id).join(', ')}) drops ${one ? 'it' : 'them'}` : 'no down section would run';
  throw new ToolError(
    'schema_without_history',
    `After the down migrations ${left.join(', ')} would still be there: ${by.join(', ')} create${by.length === 1 ? 's' : ''} ${one ? 'it' : 'them'} and ${ran}. ` +
      `With no revision recorded, the upgrade back to ${status.head ?? 'head'} would then refuse (schema_without_history), the migrated tables already emptied. Nothing was changed.`,
    {
      fixes: [
        ...left.slice(0, 3).map((t) => `add "DROP TABLE ${t};" to the down section of ${(creators.get(t) as MigrationFile).file}`),
        'or drop the database and create it again instead (everything in it goes): connector-db reset --recreate',
      ],
    },
  );
}
