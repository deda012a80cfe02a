/**
 * What the Backups screen and Home ask of the backups engine. Kept beside
 * services.ts (which only adds one field) so the screens of other issues
 * merge without touching these lines. None of these throw: failures come
 * back as values with the engine's code, message, evidence and fixes.
 */
import type { BackupEntry, BackupListing } from '../core/backups/backup-list.js';
import type { BackupFormat } from '../core/backups/backup-name.js';
import type { BackupProgress, BackupResult } from '../core/backups/backup.js';
import type { RestorePlan } from '../core/backups/restore-plan.js';
import type { RestoreResult } from '../core/backups/restore.js';
import type { ResetPlan, ResetResult } from '../core/backups/reset.js';
import type { ServiceFailure } from './services.js';

/** The screens' one failure value (services.ts), by the name the backups code knows it. */
export type BackupsFailure = ServiceFailure;

export type BackupListResult = { ok: true; listing: BackupListing } | BackupsFailure;
export type BackupRunResult = { ok: true; result: BackupResult } | BackupsFailure;
export type RestorePlanResult = { ok: true; plan: RestorePlan; lines: string[] } | BackupsFailure;
export type RestoreRunResult = { ok: true; result: RestoreResult; revisionText: string; behind: boolean; safetyBackup: string | null } | BackupsFailure;

export type RestoreStep = { type: 'step'; text: string } | { type: 'progress'; fraction: number; bytes: number; elapsedMs: number } | { type: 'backup'; progress: BackupProgress };

export type ResetPlanResult = { ok: true; plan: ResetPlan; lines: string[] } | BackupsFailure;
export type ResetRunResult = { ok: true; result: ResetResult; safetyBackup: string | null } | BackupsFailure;
/** While a reset runs: a phase, a migration line (up/down with its time), or the safety backup's progress. */
export type ResetStep = { type: 'step'; text: string } | { type: 'migration'; text: string } | { type: 'backup'; progress: BackupProgress };

export interface BackupsService {
  /** The backups folder (absolute). */
  dir: string;
  /** The configured database (what a restore replaces and must be typed to confirm). */
  database: string;
  /** The folder's backups, newest first; `verify` reads every file for its sha256. */
  list(options?: { verify?: boolean }): Promise<BackupListResult>;
  /** The newest backup, cheaply (sizes only), for Home. */
  latest(): Promise<BackupEntry | undefined>;
  backup(format: BackupFormat, onProgress: (progress: BackupProgress) => void, signal: AbortSignal): Promise<BackupRunResult>;
  /** `into`: another database than the configured one (created when missing). */
  planRestore(file: string, options: { noOwner: boolean; noAcl: boolean; into?: string }): Promise<RestorePlanResult>;
  /** Carry out a plan a person confirmed; `backupFirst` backs the target up first (replace mode). */
  restore(plan: RestorePlan, options: { force: boolean; backupFirst: boolean }, onStep: (step: RestoreStep) => void, signal: AbortSignal): Promise<RestoreRunResult>;
  /** What `reset` (or `reset --recreate`) would do to the configured database. */
  planReset(recreate: boolean): Promise<ResetPlanResult>;
  /** Carry out a reset a person confirmed; `backupFirst` backs the database up first. */
  reset(plan: ResetPlan, options: { force: boolean; backupFirst: boolean }, onStep: (step: ResetStep) => void, signal: AbortSignal): Promise<ResetRunResult>;
}
