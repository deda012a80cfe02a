/**
 * For schema_without_history: which revision do the tables that exist
 * match? Each file's up section names what it creates (tables, columns,
 * indexes); the answer is the last revision whose objects — and all
 * earlier ones' — are all there. A file that names nothing checkable stops
 * the walk (it cannot be told whether it ran), so the stamp never claims
 * more than the catalog shows.
 */
import type pg from 'pg';
import type { MigrationFile } from '../migrations/files.js';

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

/** What an up section creates, read from its DDL (comments removed). */
export function objectsCreatedBy(sql: string): SchemaObject[] {
  const text = sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  const found: SchemaObject[] = [];
  for (const m of text.matchAll(new RegExp(String.raw`\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${QUALIFIED}`, 'gi'))) {
    found.push({ kind: 'table', name: name(m[3], m[4]) });
  }
  for (const m of text.matchAll(new RegExp(String.raw`\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?${IDENT}`, 'gi'))) {
    found.push({ kind: 'index', name: name(m[1], m[2]) });
  }
  for (const m of text.matchAll(new RegExp(String.raw`\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${QUALIFIED}([^;]*)`, 'gi'))) {
    const table = name(m[3], m[4]);
    for (const c of (m[5] ?? '').matchAll(new RegExp(String.raw`\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?${IDENT}`, 'gi'))) {
      const col = name(c[1], c[2]);
      if (!['constraint', 'primary', 'unique', 'foreign', 'check', 'exclude'].includes(col)) found.push({ kind: 'column', name: col, table });
    }
  }
  return found;
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

export async function inferSchemaRevision(client: Pick<pg.ClientBase, 'query'>, files: MigrationFile[]): Promise<InferredRevision> {
  let matched: MigrationFile | undefined;
  for (const file of files) {
    const objects = objectsCreatedBy(file.sections.up.text);
    if (objects.length === 0) {
      return matched
        ? { revision: matched.id, reason: `the tables match ${files[0]?.id}–${matched.id}; ${file.fileName} creates nothing that can be checked, so it is not assumed` }
        : { revision: null, reason: `${file.fileName} creates nothing that can be checked` };
    }
    const present = await exists(client, objects);
    const missing = objects.filter((_, i) => !present[i]);
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
