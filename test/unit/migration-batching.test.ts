/** Who is to blame in a string holding a statement and our bookkeeping. */
import { describe, expect, it } from 'vitest';
import { statementToBlame } from '../../src/core/migrations/batching-client.js';

describe('statementToBlame', () => {
  it('uses the position when PostgreSQL gives one', () => {
    expect(statementToBlame({ position: '8' }, 7, 10)).toBe(true);
    expect(statementToBlame({ position: '30' }, 7, 10)).toBe(false);
    expect(statementToBlame({ position: '7' }, 7, 10)).toBe(false);
  });
  it('without a position, blames the bookkeeping only when the error names its tables', () => {
    expect(statementToBlame({ message: 'relation "b" already exists' }, 0, 10)).toBe(true);
    expect(statementToBlame({ table: 'alembic_version', message: 'new row violates check constraint' }, 0, 10)).toBe(false);
    expect(statementToBlame({ message: 'permission denied for table connector_db_migrations' }, 0, 10)).toBe(false);
    expect(statementToBlame({ constraint: 'pgmigrations_pkey' }, 0, 10)).toBe(false);
  });
});
