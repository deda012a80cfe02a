/**
 * The migrations engine's public surface. Reading status is light (no
 * node-pg-migrate import); moving loads the runner lazily.
 *
 *   readMigrationStatus(client, dir)            where the database stands (read-only)
 *   upgrade / downgrade / stamp(client, opts)   move, with onEvent progress and lockTimeout
 *   upgradeToHead / downgradeToBase             for reset and rehearsal
 *   planScript(client, kind, opts)              the SQL a move would run (--sql), read-only
 *   createMigration(dir, message)               `migrate new`
 */
export { readMigrationStatus, summarizeStatus, CHECK_FAILURES } from './status.js';
export type { MigrationStatus, RevisionStatus, Problem, UnknownRevision, AlembicState, ChecksumState, LockHolder, LockState } from './status.js';
export { loadMigrationFiles, type MigrationFile } from './files.js';
export { upgrade, downgrade, stamp, upgradeToHead, downgradeToBase, refuseReadOnly, type MoveOptions, type MoveResult } from './runner.js';
export type { MigrationEvent, OnMigrationEvent, StepRef } from './events.js';
export type { MigrationTimeouts } from './bookkeeping.js';
export type { TimeoutsFor } from './runner-loader.js';
export { MIGRATION_LOCK_KEY, readLockState, describeHolder } from './lock.js';
export { resolveRevision, type MoveKind } from './revisions.js';
export { planMove, type MovePlan } from './plan.js';
export { renderScript, revisionSql, type ScriptHeader } from './script.js';
export { createMigration, slugify, newMigrationText } from './scaffold.js';
export { planScript } from './plan-script.js';
