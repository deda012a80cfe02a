/**
 * A database's schema as sorted lines, for comparing with what
 * connector-schema.md lists and between revisions: columns (type,
 * nullability, default), constraints (definition), indexes (definition),
 * column comments. Bookkeeping tables are left out unless asked for.
 */
import type { TestDatabase } from './pg.js';

export interface CatalogSnapshot {
  tables: string[];
  columns: string[];
  /** Keys, checks, uniques (not NOT NULL: PostgreSQL 18 also lists those as constraints, see notNull). */
  constraints: string[];
  /** "table.column" for each NOT NULL constraint row: present from PostgreSQL 18, empty before. */
  notNull: string[];
  indexes: string[];
  comments: string[];
}

const BOOKKEEPING = ['pgmigrations', 'pgmigrations_id_seq', 'connector_db_migrations', 'alembic_version'];

export async function catalog(db: Pick<TestDatabase, 'query'>, options: { withBookkeeping?: boolean } = {}): Promise<CatalogSnapshot> {
  const skip = options.withBookkeeping ? [] : BOOKKEEPING;
  const lines = async (sql: string) => (await db.query<{ line: string }>(sql, [skip])).rows.map((r) => r.line);
  return {
    tables: await lines(`select c.relname as line from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r','p','v','m','S') and c.relname <> all($1) order by 1`),
    columns: await lines(
      `select table_name || '.' || column_name || ' ' || case when data_type = 'ARRAY' then udt_name else data_type end ||
              coalesce('(' || character_maximum_length || ')', '') || case when is_nullable = 'NO' then ' NOT NULL' else ' NULL' end ||
              coalesce(' DEFAULT ' || column_default, '') as line
         from information_schema.columns where table_schema = 'public' and table_name <> all($1) order by 1`,
    ),
    constraints: await lines(`select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) as line from pg_constraint where connamespace = 'public'::regnamespace and contype <> 'n' and conrelid::regclass::text <> all($1) order by 1`),
    notNull: await lines(
      `select conrelid::regclass::text || '.' || a.attname as line from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.connamespace = 'public'::regnamespace and c.contype = 'n' and c.conrelid::regclass::text <> all($1) order by 1`,
    ),
    indexes: await lines(`select indexdef as line from pg_indexes where schemaname = 'public' and tablename <> all($1) order by 1`),
    comments: await lines(
      `select c.relname || '.' || a.attname || ' ' || d.description as line from pg_description d join pg_class c on c.oid = d.objoid join pg_attribute a on a.attrelid = c.oid and a.attnum = d.objsubid
        where c.relnamespace = 'public'::regnamespace and c.relname <> all($1) order by 1`,
    ),
  };
}
