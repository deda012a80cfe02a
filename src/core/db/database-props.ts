/**
 * A database's own properties (owner, encoding, locale, connection limit,
 * privileges, settings), read so that a database dropped and created again
 * — by `reset --recreate`, or by a restore that swaps in a fresh copy —
 * comes back the same; and the SQL that creates it so (a pure planner).
 */
import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface DatabaseAcl {
  /** null = PUBLIC */
  grantee: string | null;
  privilege: string;
  grantable: boolean;
}

export interface DatabaseProps {
  name: string;
  owner: string;
  encoding: string;
  collate: string;
  ctype: string;
  /** c = libc, i = ICU, b = builtin (PostgreSQL 17+). */
  localeProvider: 'c' | 'i' | 'b';
  /** The ICU or builtin locale, when that provider is used. */
  providerLocale: string | null;
  connectionLimit: number;
  tablespace: string;
  /** null: never changed from the defaults (PUBLIC may connect and create temp tables). */
  acl: DatabaseAcl[] | null;
  /** `name=value` entries of ALTER DATABASE ... SET (for every role). */
  settings: string[];
}

export async function readDatabaseProps(client: Queryable, name: string): Promise<DatabaseProps | undefined> {
  const { rows } = await client.query<{ d: Record<string, unknown>; owner: string; encoding: string; tablespace: string; settings: string[] | null; has_acl: boolean }>(
    `select to_jsonb(d) as d, pg_get_userbyid(d.datdba) as owner, pg_encoding_to_char(d.encoding) as encoding,
            t.spcname as tablespace, d.datacl is not null as has_acl,
            (select s.setconfig from pg_db_role_setting s where s.setdatabase = d.oid and s.setrole = 0) as settings
       from pg_database d join pg_tablespace t on t.oid = d.dattablespace
      where d.datname = $1`,
    [name],
  );
  const row = rows[0];
  if (!row) return undefined;
  const d = row.d;
  const provider = (typeof d.datlocprovider === 'string' ? d.datlocprovider : 'c') as DatabaseProps['localeProvider'];
  // The provider's locale column was daticulocale in 15-16 and is datlocale from 17.
  const providerLocale = (d.datlocale ?? d.daticulocale ?? null) as string | null;
  let acl: DatabaseAcl[] | null = null;
  if (row.has_acl) {
    const r = await client.query<{ grantee: string | null; privilege: string; grantable: boolean }>(
      `select case when a.grantee = 0 then null else pg_get_userbyid(a.grantee) end as grantee, a.privilege_type as privilege, a.is_grantable as grantable
         from pg_database d, aclexplode(d.datacl) a where d.datname = $1 order by 1 nulls first, 2`,
      [name],
    );
    acl = r.rows;
  }
  return {
    name,
    owner: row.owner,
    encoding: row.encoding,
    collate: String(d.datcollate ?? ''),
    ctype: String(d.datctype ?? ''),
    localeProvider: provider,
    providerLocale,
    connectionLimit: Number(d.datconnlimit ?? -1),
    tablespace: row.tablespace,
    acl,
    settings: row.settings ?? [],
  };
}

export interface Quoting {
  ident(s: string): string;
  literal(s: string): string;
}

/** Settings whose value is a list of names, each quoted on its own (as pg_dump does). */
const LIST_SETTINGS = new Set(['search_path', 'temp_tablespaces', 'session_preload_libraries', 'local_preload_libraries', 'shared_preload_libraries', 'unix_socket_directories']);

/** "a, \"b c\"" → ["a", "b c"] */
export function splitSettingList(value: string): string[] {
  const items: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^,]*?))\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < value.length && (m = re.exec(value)) !== null) {
    items.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? '').trim());
    if (m[0] === '') break;
  }
  return items;
}

/**
 * CREATE DATABASE `name` like `props`, then its privileges and settings.
 * `owner` overrides the owner (when the connecting role may not create
 * databases for the original owner).
 */
export function createDatabaseSql(name: string, props: DatabaseProps, q: Quoting, options: { owner?: string } = {}): string[] {
  const db = q.ident(name);
  const parts = [`CREATE DATABASE ${db} WITH TEMPLATE = template0 ENCODING = ${q.literal(props.encoding)}`];
  const provider = props.localeProvider === 'i' ? 'icu' : props.localeProvider === 'b' ? 'builtin' : 'libc';
  parts.push(`LOCALE_PROVIDER = ${provider} LC_COLLATE = ${q.literal(props.collate)} LC_CTYPE = ${q.literal(props.ctype)}`);
  if (provider === 'icu' && props.providerLocale) parts.push(`ICU_LOCALE = ${q.literal(props.providerLocale)}`);
  if (provider === 'builtin' && props.providerLocale) parts.push(`BUILTIN_LOCALE = ${q.literal(props.providerLocale)}`);
  parts.push(`OWNER = ${q.ident(options.owner ?? props.owner)}`);
  if (props.tablespace !== 'pg_default') parts.push(`TABLESPACE = ${q.ident(props.tablespace)}`);
  if (props.connectionLimit !== -1) parts.push(`CONNECTION LIMIT = ${props.connectionLimit}`);
  const sql = [parts.join(' ')];
  if (props.acl) {
    sql.push(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    for (const a of props.acl) {
      sql.push(`GRANT ${a.privilege} ON DATABASE ${db} TO ${a.grantee === null ? 'PUBLIC' : q.ident(a.grantee)}${a.grantable ? ' WITH GRANT OPTION' : ''}`);
    }
  }
  for (const entry of props.settings) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    const rendered = LIST_SETTINGS.has(key.toLowerCase()) ? splitSettingList(value).map(q.literal).join(', ') : q.literal(value);
    sql.push(`ALTER DATABASE ${db} SET ${q.ident(key)} = ${rendered}`);
  }
  return sql;
}

/** What the connecting role may do to databases. */
export interface DatabaseRights {
  role: string;
  superuser: boolean;
  createdb: boolean;
}

export async function readRights(client: Queryable): Promise<DatabaseRights> {
  const { rows } = await client.query<{ role: string; superuser: boolean; createdb: boolean }>(
    'select current_user as role, rolsuper as superuser, rolcreatedb as createdb from pg_roles where rolname = current_user',
  );
  const row = rows[0];
  return row ?? { role: '', superuser: false, createdb: false };
}

/** May the connecting role drop or rename `name` (owner or a member of the owner role, or superuser)? */
export async function mayOwn(client: Queryable, name: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    `select pg_has_role(current_user, d.datdba, 'MEMBER') or (select rolsuper from pg_roles where rolname = current_user) as ok from pg_database d where d.datname = $1`,
    [name],
  );
  return rows[0]?.ok === true;
}

/** Relations and non-default schemas in the connected database: 0 means a restore can go straight in. */
export async function userObjectCount(client: Queryable): Promise<{ relations: number; schemas: number }> {
  const { rows } = await client.query<{ relations: number; schemas: number }>(
    `select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%') as relations,
            (select count(*)::int from pg_namespace n
              where n.nspname not in ('pg_catalog', 'information_schema', 'public') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%') as schemas`,
  );
  return rows[0] ?? { relations: 0, schemas: 0 };
}
