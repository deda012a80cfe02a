/**
 * What the migration files create, read from their DDL, and what that says
 * about a database: which of its tables are the migrations' own (only those
 * make a schema "without history" — an extension's table such as PostGIS's
 * spatial_ref_sys, or the app's own extra table, does not), which tables a
 * set of down sections drops, and for a schema without history the revision
 * its objects match. That revision is the last one whose objects — and all
 * earlier ones' — are all there. A file that names nothing checkable stops
 * the walk (it cannot be told whether it ran), so a stamp never claims more
 * than the catalog shows.
 */
import type pg from 'pg';
import type { MigrationFile } from './files.js';
import { nextToken } from '../sql/scan.js';

export interface SchemaObject {
  kind: 'table' | 'column' | 'index';
  name: string;
  table?: string;
}

const IDENT = String.raw`(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))`;
const QUALIFIED = String.raw`(?:${IDENT}\s*\.\s*)?${IDENT}`;

function name(quoted: string | undefined, bare: string | undefined): string {
  return quoted !== undefined ? quoted.replace(/""/g, '"') : (bare ?? '').toLowerCase();
}

/** The text with each comment made one space, read with the project's SQL lexer (a `--` inside a string is not a comment). */
function withoutComments(sql: string): string {
  let out = '';
  for (let at = 0; at < sql.length; ) {
    const token = nextToken(sql, at);
    out += token.kind === 'comment' ? ' ' : sql.slice(token.start, token.end);
    at = Math.max(token.end, at + 1);
  }
  return out;
}

// Built once: matchAll copies a regex, so sharing these is safe.
const CREATE_TABLE = new RegExp(String.raw`\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${QUALIFIED}`, 'gi');
const CREATE_INDEX = new RegExp(String.raw`\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?${IDENT}`, 'gi');
const ALTER_TABLE = new RegExp(String.raw`\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${QUALIFIED}([^;]*)`, 'gi');
const ADD_COLUMN = new RegExp(String.raw`\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?${IDENT}`, 'gi');

function tablesIn(text: string): SchemaObject[] {
  return [...text.matchAll(CREATE_TABLE)].map((m) => ({ kind: 'table' as const, name: name(m[3], m[4]) }));
}

/** What an up section creates, read from its DDL (comments removed). */
export function objectsCreatedBy(sql: string): SchemaObject[] {
  const text = withoutComments(sql);
  const found: SchemaObject[] = tablesIn(text);
  for (const m of text.matchAll(CREATE_INDEX)) {
    found.push({ kind: 'index', name: name(m[1], m[2]) });
  }
  for (const m of text.matchAll(ALTER_TABLE)) {
    const table = name(m[3], m[4]);
    for (const c of (m[5] ?? '').matchAll(ADD_COLUMN)) {
      const col = name(c[1], c[2]);
      if (!['constraint', 'primary', 'unique', 'foreign', 'check', 'exclude'].includes(col)) found.push({ kind: 'column', name: col, table });
    }
  }
  return found;
}

const createdCache = new WeakMap<MigrationFile, string[]>();

/** The tables a file's up section creates (read once per loaded file). */
export function tablesCreatedByFile(file: MigrationFile): string[] {
  let tables = createdCache.get(file);
  if (!tables) {
    tables = tablesIn(withoutComments(file.sections.up.text)).map((o) => o.name);
    createdCache.set(file, tables);
  }
  return tables;
}

/** Table name → the first file whose up creates it. */
export function tablesCreatedBy(files: MigrationFile[]): Map<string, MigrationFile> {
  const out = new Map<string, MigrationFile>();
  for (const f of files) for (const t of tablesCreatedByFile(f)) if (!out.has(t)) out.set(t, f);
  return out;
}

/** The tables a down section drops with DROP TABLE (each name of a list). */
export function tablesDroppedBy(sql: string): string[] {
  const text = withoutComments(sql);
  const found: string[] = [];
  for (const m of text.matchAll(/\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([^;]*)/gi)) {
    const list = (m[1] ?? '').replace(/\b(?:CASCADE|RESTRICT)\b/gi, ' ');
    for (const t of list.matchAll(new RegExp(String.raw`${QUALIFIED}\s*(?:,|$)`, 'g'))) found.push(name(t[3], t[4]));
  }
  return found;
}

/**
 * A down section that may drop tables in ways DROP TABLE does not show (a DO
 * block, a procedure, DROP SCHEMA / DROP OWNED): what it leaves cannot be
 * told from its text.
 */
export function dropsUnreadably(sql: string): boolean {
  return /\bDO\s+(?:\$|'|LANGUAGE\b)|\bCALL\s+|\bDROP\s+(?:SCHEMA|OWNED)\b/i.test(withoutComments(sql));
}

async function exists(client: Pick<pg.ClientBase, 'query'>, objects: SchemaObject[]): Promise<boolean[]> {
  if (objects.length === 0) return [];
  const { rows } = await client.query<{ ok: boolean[] }>(
    `select array(
       select case o->>'kind'
                when 'column' then exists (select 1 from pg_attribute a where a.attrelid = to_regclass(quote_ident(o->>'table')) and a.attname = o->>'name' and not a.attisdropped)
                else to_regclass(quote_ident(o->>'name')) is not null end
         from json_array_elements($1::json) with ordinality as t(o, n) order by n) as ok`,
    [JSON.stringify(objects)],
  );
  return rows[0]?.ok ?? [];
}

export interface InferredRevision {
  /** The revision the schema matches, or null when not even the first file's objects are all there. */
  revision: string | null;
  /** Why, in one line. */
  reason: string;
}

/** Which revision the schema matches: one round trip for every file's objects, then the walk. */
export async function inferSchemaRevision(client: Pick<pg.ClientBase, 'query'>, files: MigrationFile[]): Promise<InferredRevision> {
  const perFile = files.map((f) => objectsCreatedBy(f.sections.up.text));
  const checkable = perFile.findIndex((o) => o.length === 0);
  const asked = perFile.slice(0, checkable < 0 ? perFile.length : checkable);
  const present = await exists(client, asked.flat());
  let offset = 0;
  const answers = asked.map((objects) => {
    const part = present.slice(offset, offset + objects.length);
    offset += objects.length;
    return part;
  });
  return matchRevision(files, perFile, answers);
}

/** The walk (pure): `present[i][j]` says whether file i's object j exists. */
export function matchRevision(files: MigrationFile[], perFile: SchemaObject[][], present: boolean[][]): InferredRevision {
  let matched: MigrationFile | undefined;
  for (const [i, file] of files.entries()) {
    const objects = perFile[i] ?? [];
    if (objects.length === 0) {
      return matched
        ? { revision: matched.id, reason: `the tables match ${files[0]?.id}–${matched.id}; ${file.fileName} creates nothing that can be checked, so it is not assumed` }
        : { revision: null, reason: `${file.fileName} creates nothing that can be checked` };
    }
    const missing = objects.filter((_, j) => !present[i]?.[j]);
    if (missing.length > 0) {
      if (!matched) return { revision: null, reason: `the tables are not ${file.fileName}'s: ${missing.slice(0, 3).map(describe).join(', ')} missing` };
      return { revision: matched.id, reason: `everything ${files[0]?.id}–${matched.id} creates is there; ${file.fileName}'s ${missing.slice(0, 2).map(describe).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not` };
    }
    matched = file;
  }
  return matched ? { revision: matched.id, reason: `everything ${files[0]?.id}–${matched.id} creates is there` } : { revision: null, reason: 'there are no migration files' };
}

function describe(o: SchemaObject): string {
  return o.kind === 'column' ? `column ${o.table}.${o.name}` : `${o.kind} ${o.name}`;
}
