/**
 * The listing commands (\d without a name, \dt, \di, \dv, \dn, \l, \du),
 * built on the same catalog queries psql sends (src/bin/psql/describe.c),
 * so the facts are psql's: same rows, same columns, our layout.
 */
import { patternToRegex, relationFilter, type MetaCommand } from './meta.js';

export type CatalogRunner = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface CatalogTable {
  title: string;
  columns: string[];
  rows: (string | null)[][];
  /** Shown when there are no rows, as psql does ("Did not find any relation named ..."). */
  empty?: string;
  /** psql prints no "(N rows)" under this listing (\du). */
  noFooter?: boolean;
}

const RELKIND_NAME = `CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index'
  WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table'
  WHEN 'I' THEN 'partitioned index' END`;

const KINDS: Record<string, { relkinds: string[]; what: string }> = {
  d: { relkinds: ['r', 'p', 'v', 'm', 'S', 'f'], what: 'relations' },
  dt: { relkinds: ['r', 'p'], what: 'tables' },
  di: { relkinds: ['i', 'I'], what: 'indexes' },
  dv: { relkinds: ['v'], what: 'views' },
};

function textRows(rows: Record<string, unknown>[]): (string | null)[][] {
  return rows.map((r) => Object.values(r).map((v) => (v === null || v === undefined ? null : String(v))));
}

export async function listRelations(run: CatalogRunner, command: MetaCommand): Promise<CatalogTable> {
  const kind = KINDS[command.name] ?? (KINDS.d as { relkinds: string[]; what: string });
  const params: unknown[] = [];
  const pattern = patternToRegex(command.arg);
  const conds = [`c.relkind IN (${kind.relkinds.map((k) => `'${k}'`).join(',')})`, ...relationFilter(pattern, 'c.relname', 'n.nspname', 'pg_catalog.pg_table_is_visible(c.oid)', params)];
  const isIndex = command.name === 'di';
  const select = [
    'n.nspname AS "Schema"',
    'c.relname AS "Name"',
    `${RELKIND_NAME} AS "Type"`,
    'pg_catalog.pg_get_userbyid(c.relowner) AS "Owner"',
    ...(isIndex ? ['c2.relname AS "Table"'] : []),
    ...(command.plus
      ? [
          `CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' WHEN 'u' THEN 'unlogged' END AS "Persistence"`,
          ...(command.name === 'dv' ? [] : ['am.amname AS "Access method"']),
          'pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) AS "Size"',
          'pg_catalog.obj_description(c.oid, \'pg_class\') AS "Description"',
        ]
      : []),
  ];
  const sql = `SELECT ${select.join(',\n  ')}
FROM pg_catalog.pg_class c
  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
  ${isIndex ? 'LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid\n  LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid' : ''}
WHERE ${conds.join('\n  AND ')}
ORDER BY 1, 2`;
  const rows = await run(sql, params);
  const columns = select.map((s) => /AS "([^"]+)"$/.exec(s)?.[1] ?? '?');
  return {
    title: 'List of relations',
    columns,
    rows: textRows(rows),
    empty: command.arg ? `Did not find any relation named "${command.arg}".` : `Did not find any ${kind.what}.`,
  };
}

export async function listSchemas(run: CatalogRunner, command: MetaCommand): Promise<CatalogTable> {
  const params: unknown[] = [];
  const conds: string[] = [];
  const pattern = patternToRegex(command.arg);
  if (pattern.name) {
    params.push(pattern.name);
    conds.push(`n.nspname OPERATOR(pg_catalog.~) $1 COLLATE pg_catalog.default`);
  } else conds.push("n.nspname !~ '^pg_'", "n.nspname <> 'information_schema'");
  const plus = command.plus ? `,\n  pg_catalog.array_to_string(n.nspacl, E'\\n') AS "Access privileges",\n  pg_catalog.obj_description(n.oid, 'pg_namespace') AS "Description"` : '';
  const rows = await run(`SELECT n.nspname AS "Name",\n  pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner"${plus}\nFROM pg_catalog.pg_namespace n\nWHERE ${conds.join(' AND ')}\nORDER BY 1`, params);
  return { title: 'List of schemas', columns: ['Name', 'Owner', ...(command.plus ? ['Access privileges', 'Description'] : [])], rows: textRows(rows) };
}

export async function listDatabases(run: CatalogRunner, command: MetaCommand, serverVersionNum: number): Promise<CatalogTable> {
  const provider: [string, string] = ['Locale Provider', "CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' END"];
  const collate: [string, string][] = [
    ['Collate', 'd.datcollate'],
    ['Ctype', 'd.datctype'],
  ];
  // psql's column order changed: 15 puts the provider after the ICU locale, 16 before Collate (and adds ICU Rules), 17 renames ICU Locale to Locale.
  const localeCols: [string, string][] =
    serverVersionNum >= 160000
      ? [provider, ...collate, serverVersionNum >= 170000 ? ['Locale', 'd.datlocale'] : ['ICU Locale', 'd.daticulocale'], ['ICU Rules', 'd.daticurules']]
      : [...collate, ['ICU Locale', 'd.daticulocale'], provider];
  const cols: [string, string][] = [
    ['Name', 'd.datname'],
    ['Owner', 'pg_catalog.pg_get_userbyid(d.datdba)'],
    ['Encoding', 'pg_catalog.pg_encoding_to_char(d.encoding)'],
    ...localeCols,
    ['Access privileges', "pg_catalog.array_to_string(d.datacl, E'\\n')"],
    ...(command.plus ? ([['Size', "CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT') THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname)) ELSE 'No Access' END"]] as [string, string][]) : []),
  ];
  const params: unknown[] = [];
  const pattern = patternToRegex(command.arg);
  let where = '';
  if (pattern.name) {
    params.push(pattern.name);
    where = `WHERE d.datname OPERATOR(pg_catalog.~) $1 COLLATE pg_catalog.default\n`;
  }
  const rows = await run(`SELECT ${cols.map(([name, expr]) => `${expr} AS "${name}"`).join(',\n  ')}\nFROM pg_catalog.pg_database d\n${where}ORDER BY 1`, params);
  return { title: 'List of databases', columns: cols.map(([name]) => name), rows: textRows(rows) };
}

interface RoleRow {
  rolname: string;
  rolsuper: boolean;
  rolinherit: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
  rolcanlogin: boolean;
  rolconnlimit: number;
  rolvaliduntil: string | null;
  memberof: string;
  rolreplication: boolean;
  rolbypassrls: boolean;
}

/** psql's attribute words, in its order; the connection limit and expiry go on lines of their own. */
export function roleAttributes(r: RoleRow): string {
  const words: string[] = [];
  if (r.rolsuper) words.push('Superuser');
  if (!r.rolinherit) words.push('No inheritance');
  if (r.rolcreaterole) words.push('Create role');
  if (r.rolcreatedb) words.push('Create DB');
  if (!r.rolcanlogin) words.push('Cannot login');
  if (r.rolreplication) words.push('Replication');
  if (r.rolbypassrls) words.push('Bypass RLS');
  const lines = [words.join(', ')];
  if (r.rolconnlimit >= 0) lines.push(r.rolconnlimit === 0 ? 'No connections' : `${r.rolconnlimit} connection${r.rolconnlimit === 1 ? '' : 's'}`);
  if (r.rolvaliduntil) lines.push(`Password valid until ${r.rolvaliduntil}`);
  return lines.filter((l, i) => l !== '' || i > 0).join('\n');
}

export async function listRoles(run: CatalogRunner, command: MetaCommand, serverVersionNum: number): Promise<CatalogTable> {
  const params: unknown[] = [];
  const pattern = patternToRegex(command.arg);
  let where = "WHERE r.rolname !~ '^pg_'";
  if (pattern.name) {
    params.push(pattern.name);
    where = 'WHERE r.rolname OPERATOR(pg_catalog.~) $1 COLLATE pg_catalog.default';
  }
  const rows = (await run(
    `SELECT r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolconnlimit,
  r.rolvaliduntil::text AS rolvaliduntil,
  pg_catalog.array_to_string(ARRAY(SELECT b.rolname FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid) WHERE m.member = r.oid ORDER BY 1), ',') AS memberof,
  r.rolreplication, r.rolbypassrls
FROM pg_catalog.pg_roles r
${where}
ORDER BY 1`,
    params,
  )) as unknown as RoleRow[];
  // psql 16 dropped the "Member of" column; 15 shows it as an array literal.
  const withMembers = serverVersionNum < 160000;
  return {
    title: 'List of roles',
    noFooter: true,
    columns: ['Role name', 'Attributes', ...(withMembers ? ['Member of'] : [])],
    rows: rows.map((r) => [r.rolname, roleAttributes(r), ...(withMembers ? [`{${r.memberof}}`] : [])]),
  };
}
