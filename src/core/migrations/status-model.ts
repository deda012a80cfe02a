/**
 * Where a database stands, computed from what was read (pure): the files,
 * node-pg-migrate's rows, our checksum rows, Alembic's record, the tables
 * present and the lock.
 *
 * Alembic's record wins when it disagrees with ours: every connector-db run
 * writes both in one transaction, so a difference means the connector app's
 * own Alembic moved the database since (e.g. it brought it to 002 and we
 * have no rows: the database is at 002, and 001-002 count as applied).
 */
import type { MigrationFile } from './files.js';
import type { LockState } from './lock.js';
import type { RecordSource } from './bookkeeping.js';
import { tablesCreatedBy, type InferredRevision } from './schema-match.js';
import { historyAdvice } from './advice.js';

export interface RecordRow {
  name: string;
  /** run_on, as an ISO string. */
  runOn: string | null;
}

export interface SideRow {
  name: string;
  revision: string;
  sha256: string;
  appliedAt: string | null;
  durationMs: number | null;
  source: RecordSource;
  state: 'applied' | 'partial';
  statementsDone: number | null;
  statementsTotal: number | null;
  error: string | null;
}

export interface AlembicState {
  /** alembic_version exists (where search_path finds it). */
  exists: boolean;
  /** Its rows (one, or none at base). */
  values: string[];
  /** The single value, or null when empty / absent. */
  value: string | null;
  /** Our record and Alembic's name the same revision (true when there is no alembic_version). */
  agrees: boolean;
}

export type ChecksumState = 'match' | 'drift' | 'unrecorded' | 'not_applied';

export interface RevisionStatus {
  id: string;
  name: string;
  file: string;
  fileName: string;
  applied: boolean;
  /** node-pg-migrate's table has a row for it (false for what only Alembic's record covers). */
  recorded: boolean;
  /** applied, pending, or partial (a no-transaction file that stopped half-way). */
  state: 'applied' | 'pending' | 'partial';
  appliedAt: string | null;
  durationMs: number | null;
  /** How the record came to be: upgrade, stamp, alembic (null when not applied or recorded only by node-pg-migrate). */
  appliedBy: RecordSource | null;
  checksum: { file: string; recorded: string | null; state: ChecksumState };
  drifted: boolean;
  noTransaction: boolean;
  hasDown: boolean;
  /** For a partial file: which way it was going, how far it got and why it stopped. */
  partial: { direction: 'up' | 'down'; statementsDone: number; statementsTotal: number; error: string } | null;
}

export interface UnknownRevision {
  /** The recorded name or Alembic value that no file has. */
  name: string;
  where: 'pgmigrations' | 'alembic_version';
}

export interface Problem {
  code: 'migrations_pending' | 'migration_drift' | 'unknown_revision' | 'schema_without_history' | 'migration_out_of_order' | 'migration_partial' | 'alembic_out_of_step' | 'migration_lock_held';
  message: string;
  /** The revision the problem is about, where there is one (migration_partial: the file that stopped half-way). */
  revision?: string;
}

export interface MigrationStatus {
  dir: string;
  /** In file order (oldest first). */
  revisions: RevisionStatus[];
  /** The revision the database is at: the last applied id, an unknown recorded name, or null at base. */
  current: string | null;
  /** The last file's id, or null when the folder is empty. */
  head: string | null;
  atHead: boolean;
  pendingCount: number;
  pending: string[];
  drifted: string[];
  unknown: UnknownRevision[];
  /** Pending files that sort before an applied one (the runner's checkOrder refuses these). */
  outOfOrder: string[];
  /**
   * Tables that the migration files create exist, but no revision is recorded
   * anywhere: the "table already exists" trap. Tables the files do not create
   * (an extension's, the app's own) never make a schema without history.
   */
  schemaWithoutHistory: boolean;
  /** Tables found in the schema besides the bookkeeping ones (first 20). */
  tables: string[];
  /** The tables found that the migration files create (all of them: the files bound the list). */
  migratedTables: string[];
  /**
   * For a schema without history: the revision its objects match (what to
   * stamp), or why none can be named. Null when there is no such problem or
   * it was not looked up.
   */
  stampTo: InferredRevision | null;
  alembic: AlembicState;
  /** node-pg-migrate's table exists. */
  recordTableExists: boolean;
  lock: LockState;
  /** What `check` fails on, and warnings, in a stable order. */
  problems: Problem[];
}

export interface StatusInput {
  dir: string;
  files: MigrationFile[];
  recordTableExists: boolean;
  records: RecordRow[];
  side: SideRow[];
  alembic: { exists: boolean; values: string[] };
  tables: string[];
  lock: LockState;
  /** For a schema without history: the revision its objects match (read by readMigrationStatus). */
  stampTo?: InferredRevision;
}

/** Alembic's value → a file index (exact id, else the same number). -1 = base, undefined = unknown. */
export function alembicIndex(files: Pick<MigrationFile, 'id' | 'seq'>[], values: string[]): number | undefined {
  if (values.length === 0) return -1;
  if (values.length > 1) return undefined;
  const v = values[0] as string;
  const exact = files.findIndex((f) => f.id === v);
  if (exact >= 0) return exact;
  const byNumber = /^\d+$/.test(v) ? files.findIndex((f) => f.seq === Number(v)) : -1;
  return byNumber >= 0 ? byNumber : undefined;
}

export function buildStatus(input: StatusInput): MigrationStatus {
  const { files } = input;
  const fileNames = new Set(files.map((f) => f.name));
  const recorded = new Map(input.records.map((r) => [r.name, r]));
  const side = new Map(input.side.map((s) => [s.name, s]));
  const unknown: UnknownRevision[] = input.records.filter((r) => !fileNames.has(r.name)).map((r) => ({ name: r.name, where: 'pgmigrations' as const }));

  let appliedNames: Set<string>;
  let agrees = true;
  const alembicValue = input.alembic.values.length === 1 ? (input.alembic.values[0] as string) : null;
  if (input.alembic.exists) {
    const idx = alembicIndex(files, input.alembic.values);
    if (idx === undefined) {
      unknown.push({ name: input.alembic.values.join(', '), where: 'alembic_version' });
      appliedNames = new Set(files.filter((f) => recorded.has(f.name)).map((f) => f.name));
      agrees = false;
    } else {
      appliedNames = new Set(files.slice(0, idx + 1).map((f) => f.name));
      const ours = files.filter((f) => recorded.has(f.name)).map((f) => f.name);
      agrees = ours.length === appliedNames.size && ours.every((n) => appliedNames.has(n)) && unknown.length === 0;
    }
  } else {
    appliedNames = new Set(files.filter((f) => recorded.has(f.name)).map((f) => f.name));
  }

  const revisions: RevisionStatus[] = files.map((f) => {
    const applied = appliedNames.has(f.name);
    const s = side.get(f.name);
    const r = recorded.get(f.name);
    const sideApplied = s && s.state === 'applied' ? s : undefined;
    const checksumState: ChecksumState = !applied ? 'not_applied' : !sideApplied ? 'unrecorded' : sideApplied.sha256 === f.sha256 ? 'match' : 'drift';
    const partial = s?.state === 'partial' ? { direction: s.error?.startsWith('down: ') ? ('down' as const) : ('up' as const), statementsDone: s.statementsDone ?? 0, statementsTotal: s.statementsTotal ?? 0, error: s.error ?? '' } : null;
    return {
      id: f.id,
      name: f.name,
      file: f.file,
      fileName: f.fileName,
      applied,
      recorded: r !== undefined,
      state: partial ? 'partial' : applied ? 'applied' : 'pending',
      appliedAt: applied ? (sideApplied?.appliedAt ?? r?.runOn ?? null) : null,
      durationMs: applied ? (sideApplied?.durationMs ?? null) : null,
      appliedBy: applied ? (r ? (sideApplied?.source ?? null) : 'alembic') : null,
      checksum: { file: f.sha256, recorded: sideApplied?.sha256 ?? null, state: checksumState },
      drifted: checksumState === 'drift',
      noTransaction: f.sections.noTransaction,
      hasDown: f.sections.down !== null,
      partial,
    };
  });

  const lastApplied = revisions.reduce((last, r, i) => (r.applied ? i : last), -1);
  const alembicUnknown = unknown.find((u) => u.where === 'alembic_version');
  const recordUnknown = unknown.filter((u) => u.where === 'pgmigrations');
  const current = alembicUnknown ? alembicValue ?? alembicUnknown.name : recordUnknown.length > 0 && !input.alembic.exists ? (recordUnknown[recordUnknown.length - 1] as UnknownRevision).name : lastApplied >= 0 ? (revisions[lastApplied] as RevisionStatus).id : null;
  const pending = revisions.filter((r) => !r.applied).map((r) => r.id);
  const outOfOrder = revisions.filter((r, i) => !r.applied && i < lastApplied).map((r) => r.id);
  const drifted = revisions.filter((r) => r.drifted).map((r) => r.id);
  // A partial row is history too: that file's objects are there because it ran half-way.
  const anyRecord = appliedNames.size > 0 || unknown.length > 0 || input.side.some((s) => s.state === 'partial');
  const created = tablesCreatedBy(files);
  const migratedTables = input.tables.filter((t) => created.has(t));
  const schemaWithoutHistory = !anyRecord && migratedTables.length > 0;
  const stampTo = schemaWithoutHistory ? (input.stampTo ?? null) : null;
  const head = files.length > 0 ? (files[files.length - 1] as MigrationFile).id : null;

  const problems: Problem[] = [];
  if (schemaWithoutHistory) {
    const advice = historyAdvice(migratedTables, files, stampTo);
    problems.push({ code: 'schema_without_history', message: `${advice.problem} ${advice.next}` });
  }
  if (unknown.length > 0) {
    problems.push({ code: 'unknown_revision', message: `The database is at ${unknown.map((u) => `${u.name} (${u.where})`).join(', ')}, which no file in ${input.dir} has.` });
  }
  if (drifted.length > 0) problems.push({ code: 'migration_drift', message: `Applied file${drifted.length > 1 ? 's' : ''} edited since: ${drifted.join(', ')} (the sha256 recorded when applied differs).` });
  const partials = revisions.filter((r) => r.partial);
  for (const p of partials) {
    problems.push({ code: 'migration_partial', revision: p.id, message: `${p.fileName} runs without a transaction and stopped half-way: ${p.partial?.statementsDone} of ${p.partial?.statementsTotal} statements ran (${p.partial?.error}).` });
  }
  if (outOfOrder.length > 0) problems.push({ code: 'migration_out_of_order', message: `Pending ${outOfOrder.join(', ')} sort${outOfOrder.length === 1 ? 's' : ''} before applied revisions; renumber after ${current}.` });
  if (pending.length > 0 && !schemaWithoutHistory) problems.push({ code: 'migrations_pending', message: `${pending.length} pending: ${pending.join(', ')}.` });
  if (input.alembic.exists && !agrees && !alembicUnknown) {
    problems.push({ code: 'alembic_out_of_step', message: `alembic_version says ${alembicValue ?? 'base'} and connector-db's record says ${lastRecorded(files, recorded) ?? 'base'}; Alembic's is taken (the app migrated since), and ours is brought in step at the next change.` });
  }
  if (input.lock.held) problems.push({ code: 'migration_lock_held', message: 'A migration is running now (the migration lock is held).' });

  return {
    dir: input.dir,
    revisions,
    current,
    head,
    atHead: current !== null ? current === head && pending.length === 0 : head === null,
    pendingCount: pending.length,
    pending,
    drifted,
    unknown,
    outOfOrder,
    schemaWithoutHistory,
    tables: input.tables.slice(0, 20),
    migratedTables,
    stampTo,
    alembic: { exists: input.alembic.exists, values: input.alembic.values, value: alembicValue, agrees },
    recordTableExists: input.recordTableExists,
    lock: input.lock,
    problems,
  };
}

function lastRecorded(files: MigrationFile[], recorded: Map<string, RecordRow>): string | null {
  const last = files.filter((f) => recorded.has(f.name)).pop();
  return last?.id ?? null;
}

/** The codes `migrate check` fails on. */
export const CHECK_FAILURES: Problem['code'][] = ['migrations_pending', 'migration_drift', 'unknown_revision', 'schema_without_history', 'migration_out_of_order', 'migration_partial'];
