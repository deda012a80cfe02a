/**
 * The manifest written beside each backup (`<file>.json`): what was dumped,
 * from where, with which pg_dump, at which migration revision, and the
 * size and sha256 of the file as written, so that a later reader can tell
 * a whole backup from a damaged one. Pure: build, serialise, parse.
 */
// zod/mini: a fraction of classic zod's size in the bundle (see core/config/spec.ts).
import * as z from 'zod/mini';
import type { BackupFormat } from './backup-name.js';

export const MANIFEST_VERSION = 1;

const revisionSchema = z.object({
  /** The revision the database was at (e.g. "003"), null at base or when unknown. */
  current: z.nullable(z.string()),
  /** The newest revision among the migration files at the time. */
  head: z.nullable(z.string()),
  /** Files not applied yet (absent in manifests written before the migrations engine existed). */
  pending: z.optional(z.number().check(z.int())),
  /** Why the revision is missing or doubtful (no migrations table, drift...). */
  note: z.optional(z.string()),
});

export const manifestSchema = z.object({
  manifestVersion: z.literal(MANIFEST_VERSION),
  tool: z.string(),
  toolVersion: z.string(),
  file: z.string(),
  format: z.object({ kind: z.enum(['plain', 'gzip', 'custom']), schemaOnly: z.boolean() }),
  database: z.string(),
  host: z.string(),
  port: z.number().check(z.int()),
  user: z.string(),
  server: z.object({ version: z.string(), versionNum: z.number().check(z.int()) }),
  pgDump: z.object({ version: z.string(), path: z.string() }),
  migration: z.nullable(revisionSchema),
  /** Tables whose data the dump holds (0 for schema only), and their size in the database. */
  tables: z.number().check(z.int()),
  databaseBytes: z.number(),
  size: z.number().check(z.int()),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  /** The pg_dump command line (no connection details, no password). */
  command: z.string(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type RevisionInfo = z.infer<typeof revisionSchema>;

export interface ManifestInput {
  toolVersion: string;
  file: string;
  format: BackupFormat;
  target: { database: string; host: string; port: number; user: string };
  server: { version: string; versionNum: number };
  pgDump: { version: string; path: string };
  migration: RevisionInfo | null;
  tables: number;
  databaseBytes: number;
  size: number;
  sha256: string;
  startedAt: Date;
  finishedAt: Date;
  command: string;
}

export function buildManifest(input: ManifestInput): Manifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    tool: 'connector-db',
    toolVersion: input.toolVersion,
    file: input.file,
    format: { kind: input.format.kind, schemaOnly: input.format.schemaOnly },
    database: input.target.database,
    host: input.target.host,
    port: input.target.port,
    user: input.target.user,
    server: input.server,
    pgDump: input.pgDump,
    migration: input.migration,
    tables: input.tables,
    databaseBytes: input.databaseBytes,
    size: input.size,
    sha256: input.sha256,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    command: input.command,
  };
}

export function serializeManifest(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}

export type ManifestParse = { ok: true; manifest: Manifest } | { ok: false; problem: string };

/** Parse a manifest's text; a problem is one line saying what is wrong. */
export function parseManifest(text: string): ManifestParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid' };
}
