/** `migrate new`: Alembic's slug rule (it produced the shipped names), and a template the runner splits as intended. */
import { describe, expect, it } from 'vitest';
import { getActions } from 'node-pg-migrate/sqlMigration';
import { newMigrationText, slugify } from '../../src/core/migrations/scaffold.js';
import { splitMigration } from '../../src/core/migrations/split.js';

describe('migrate new', () => {
  it("slugs messages the way the app's Alembic did for 002 and 003", () => {
    expect(slugify('add scrape_job_ids column to documentation_items')).toBe('add_scrape_job_ids_column_to_');
    expect(slugify('add normalized_input column to jobs table')).toBe('add_normalized_input_column_to_jobs_');
    expect(slugify('Initial schema')).toBe('initial_schema');
    expect(slugify('  Add: index (jobs.status)! ')).toBe('add_index_jobs_status');
    expect(slugify('!!!')).toBe('');
  });

  it('the template has an empty up and down, no no-transaction header, and the runner agrees', () => {
    const text = newMigrationText('004', 'add index on jobs status');
    const ours = splitMigration(text);
    expect(ours.up.text.trim()).toBe('-- Up Migration');
    expect(ours.down?.text.trim()).toBe('-- Down Migration');
    expect(ours.noTransaction).toBe(false);
    const captured: string[] = [];
    const actions = getActions(text);
    for (const action of [actions.up, actions.down]) (action as (pgm: { sql: (s: string) => void }) => void)({ sql: (s) => captured.push(s) });
    expect(captured).toEqual([ours.up.text, ours.down?.text]);
  });
});
