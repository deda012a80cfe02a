/**
 * `migrate rehearse`: try the pending migrations on a copy of the target,
 * never on the target itself. Copy (TEMPLATE when nobody else is connected,
 * else from a fresh backup), then on the copy: every pending migration up,
 * one at a time (timed, locks captured, schema read after each); all of
 * them down again, checking after each down that the schema is what it was
 * before that up (a down that does not reverse its up is named with the
 * difference); and up once more (timed). The copy is dropped whatever
 * happens. The only use of the target is one read of its migration status.
 */
import type pg from 'pg';
import { ToolError } from '../errors.js';
import { BOOKKEEPING_TABLES } from '../migrations/bookkeeping.js';
import type { MigrationEvent } from '../migrations/events.js';
import { readMigrationStatus } from '../migrations/status.js';
import { downgrade, upgrade } from '../migrations/runner.js';
import { LOCK_STRENGTH, lockCapturingClient, type CapturedLock } from './lock-capture.js';
import { createEmptyScratch, createScratchFromTemplate, dropScratch, leftoverScratch, otherConnections, scratchName, type OtherConnection } from './scratch.js';
import { describeDiff, diffSchemas, readSchemaSnapshot, type SchemaSnapshot } from './schema-snapshot.js';

type Client = Pick<pg.Client, 'query' | 'end'>;

export type RehearsalPass = 'up' | 'down' | 'up again';

export interface RehearsalStep {
  pass: RehearsalPass;
  id: string;
  name: string;
  durationMs: number | null;
  /** The strongest lock per relation at commit; null for a file run without a transaction (not captured). */
  locks: CapturedLock[] | null;
  /** Relations that existed before this step and that it locked AccessExclusive: every reader and writer waits. */
  blocksExisting: string[];
}

export interface RehearsalMismatch {
  id: string;
  name: string;
  /** One line per difference between the schema before its up and after its down. */
  differences: string[];
}

export interface RehearsalFailure {
  pass: RehearsalPass;
  id: string | null;
  code: string;
  message: string;
  evidence: string[];
}

export interface RehearsalResult {
  source: string;
  scratch: string | null;
  method: 'template' | 'backup' | null;
  /** Why a backup was used: who was connected to the target. */
  connected: OtherConnection[];
  pending: string[];
  steps: RehearsalStep[];
  mismatches: RehearsalMismatch[];
  /** Schema after every down compared with before the first up (empty: identical). */
  roundTrip: string[];
  /** Schema after the second up compared with after the first (empty: identical). */
  reapply: string[];
  failure: RehearsalFailure | null;
  /** Scratch copies of this database that earlier runs left (killed before their cleanup). */
  leftovers: string[];
  dropped: boolean;
  ok: boolean;
}

export type RehearsalEvent =
  | { type: 'copying'; scratch: string; method: 'template' | 'backup'; connected: OtherConnection[] }
  | { type: 'copied'; scratch: string; durationMs: number }
  | { type: 'step_start'; pass: RehearsalPass; id: string; index: number; total: number }
  | { type: 'step_done'; step: RehearsalStep; index: number; total: number }
  | { type: 'mismatch'; mismatch: RehearsalMismatch }
  | { type: 'dropped'; scratch: string };

export interface RehearseOptions {
  dir: string;
  /** The target database's name. */
  source: string;
  /** A connection to the target (only its migration status is read). */
  openTarget: () => Promise<Client>;
  /** A connection to another database on the same server (postgres), to create and drop the copy. */
  openAdmin: () => Promise<Client>;
  openScratch: (database: string) => Promise<Client>;
  /** Fill the (empty) scratch database from a fresh backup of the target; without it, a busy target is refused. */
  copyFromBackup?: (scratch: string, signal?: AbortSignal) => Promise<void>;
  onEvent?: (event: RehearsalEvent) => void;
  now?: () => Date;
  clock?: () => number;
  signal?: AbortSignal;
}

const SKIP = [...BOOKKEEPING_TABLES];

export async function rehearse(options: RehearseOptions): Promise<RehearsalResult> {
  const emit = options.onEvent ?? (() => {});
  const clock = options.clock ?? (() => performance.now());
  const target = await options.openTarget();
  let pending: string[];
  let names: Map<string, string>;
  try {
    const status = await readMigrationStatus(target, options.dir);
    pending = status.pending;
    names = new Map(status.revisions.map((r) => [r.id, r.name]));
  } finally {
    // Our own connection would count as "another user" for CREATE DATABASE ... TEMPLATE.
    await target.end().catch(() => {});
  }
  const result: RehearsalResult = { source: options.source, scratch: null, method: null, connected: [], pending, steps: [], mismatches: [], roundTrip: [], reapply: [], failure: null, leftovers: [], dropped: false, ok: true };
  if (pending.length === 0) return result;

  const admin = await options.openAdmin();
  try {
    result.leftovers = await leftoverScratch(admin, options.source);
    const scratch = scratchName(options.source, (options.now ?? (() => new Date()))());
    result.scratch = scratch;
    result.connected = await otherConnections(admin, options.source);
    const started = clock();
    let copied = false;
    try {
      if (result.connected.length === 0) {
        emit({ type: 'copying', scratch, method: 'template', connected: [] });
        copied = await createScratchFromTemplate(admin, options.source, scratch);
        if (copied) result.method = 'template';
        else result.connected = await otherConnections(admin, options.source);
      }
      if (!copied) {
        if (!options.copyFromBackup) {
          throw new ToolError('failed', `${options.source} is in use by ${result.connected.length} other session(s), so it cannot be copied by TEMPLATE, and no backup copy is available here.`, {
            evidence: result.connected.map((c) => `pid ${c.pid} · ${c.user ?? '?'} · ${c.application || '(no application name)'}`),
            fixes: ['stop the app for a moment and run again, or: connector-db monitor (to see who is connected)'],
          });
        }
        emit({ type: 'copying', scratch, method: 'backup', connected: result.connected });
        await createEmptyScratch(admin, options.source, scratch);
        await options.copyFromBackup(scratch, options.signal);
        result.method = 'backup';
      }
      emit({ type: 'copied', scratch, durationMs: Math.round(clock() - started) });
      await onCopy(options, scratch, pending, names, result, emit);
    } finally {
      await dropScratch(admin, scratch);
      result.dropped = true;
      emit({ type: 'dropped', scratch });
    }
  } finally {
    await admin.end().catch(() => {});
  }
  result.ok = result.failure === null && result.mismatches.length === 0 && result.roundTrip.length === 0 && result.reapply.length === 0;
  return result;
}

async function onCopy(options: RehearseOptions, scratch: string, pending: string[], names: Map<string, string>, result: RehearsalResult, emit: (e: RehearsalEvent) => void): Promise<void> {
  const client = await options.openScratch(scratch);
  let pass: RehearsalPass = 'up';
  let current: string | null = null;
  try {
    const snapshot = () => readSchemaSnapshot(client, { skipTables: SKIP });
    const before: SchemaSnapshot[] = [await snapshot()];
    const step = async (kind: 'up' | 'down', id: string, index: number, known: SchemaSnapshot): Promise<void> => {
      current = id;
      emit({ type: 'step_start', pass, id, index, total: pending.length });
      // Every COMMIT during the step adds what it held (the migration's own, and any bookkeeping transaction).
      let locks: Map<string, CapturedLock> | null = null;
      const wrapped = lockCapturingClient(client, (held) => {
        const merged: Map<string, CapturedLock> = locks ?? new Map<string, CapturedLock>();
        for (const l of held) {
          const had = merged.get(l.relation);
          if (!had || LOCK_STRENGTH.indexOf(l.mode) > LOCK_STRENGTH.indexOf(had.mode)) merged.set(l.relation, l);
        }
        locks = merged;
      });
      const onEvent = (_event: MigrationEvent) => {};
      const move = { dir: options.dir, target: kind === 'up' ? '+1' : '-1', onEvent, ...(options.signal ? { signal: options.signal } : {}) };
      const moved = kind === 'up' ? await upgrade(wrapped, move) : await downgrade(wrapped, move);
      const ran = moved.steps[0];
      if (!ran || ran.id !== id) throw new ToolError('failed', `the runner ran ${ran?.id ?? 'nothing'} where ${id} was expected; the copy's records differ from the target's`);
      const captured = locks as Map<string, CapturedLock> | null;
      const held = captured ? [...captured.values()].sort((a, b) => a.relation.localeCompare(b.relation)) : null;
      const done: RehearsalStep = {
        pass,
        id,
        name: names.get(id) ?? id,
        durationMs: ran.durationMs,
        locks: held,
        blocksExisting: (held ?? []).filter((l) => l.mode === 'AccessExclusiveLock' && existedBefore(known, l)).map((l) => l.relation),
      };
      result.steps.push(done);
      emit({ type: 'step_done', step: done, index, total: pending.length });
    };

    for (const [i, id] of pending.entries()) {
      await step('up', id, i, before[i] as SchemaSnapshot);
      before.push(await snapshot());
    }
    pass = 'down';
    const reported = new Set<string>();
    for (let i = pending.length - 1; i >= 0; i--) {
      const id = pending[i] as string;
      await step('down', id, pending.length - 1 - i, before[i + 1] as SchemaSnapshot);
      const after = await snapshot();
      // Only what this down newly failed to reverse (an earlier leftover shows again in every later comparison).
      const lines = describeDiff(diffSchemas(before[i] as SchemaSnapshot, after)).filter((line) => !reported.has(line));
      if (lines.length > 0) {
        lines.forEach((line) => reported.add(line));
        const mismatch = { id, name: names.get(id) ?? id, differences: lines };
        result.mismatches.push(mismatch);
        emit({ type: 'mismatch', mismatch });
      }
      if (i === 0) result.roundTrip = describeDiff(diffSchemas(before[0] as SchemaSnapshot, after));
    }
    pass = 'up again';
    for (const [i, id] of pending.entries()) await step('up', id, i, i === 0 ? (before[0] as SchemaSnapshot) : await snapshot());
    result.reapply = describeDiff(diffSchemas(before[pending.length] as SchemaSnapshot, await snapshot()));
  } catch (error) {
    const e = error instanceof ToolError ? error : new ToolError('failed', error instanceof Error ? error.message : String(error), { cause: error });
    result.failure = { pass, id: current, code: e.code, message: e.message, evidence: e.evidence };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Was this relation (or the table this index belongs to) there before the step? New objects lock nobody out. */
function existedBefore(snapshot: SchemaSnapshot, lock: CapturedLock): boolean {
  const kind = lock.kind === 'index' ? 'index' : lock.kind === 'sequence' ? 'sequence' : lock.kind.includes('view') ? lock.kind : 'table';
  return snapshot.has(`${kind} ${lock.relation}`);
}
