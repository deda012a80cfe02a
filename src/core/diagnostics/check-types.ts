/**
 * The doctor's vocabulary: the checks in the order they run, what each
 * result carries, and the actions the tool can take to fix a failure.
 */
import type { ToolErrorCode } from '../errors.js';

/** Checks, in the order they run. Scripts read these ids in `--json`. */
export const CHECK_IDS = [
  'settings',
  'dns',
  'reachable',
  'tls',
  'auth',
  'database',
  'version',
  'read_only',
  'privileges',
  'pool',
  'pooler',
  'pg_dump',
  'migrations',
  'migration_lock',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export const CHECK_TITLES: Record<CheckId, string> = {
  settings: 'Settings',
  dns: 'Host name resolves',
  reachable: 'Server reachable',
  tls: 'TLS',
  auth: 'Authentication',
  database: 'Database exists',
  version: 'Server version ≥ 15',
  read_only: 'Writable',
  privileges: 'Privileges',
  pool: 'Pool vs max_connections',
  pooler: 'No transaction pooler',
  pg_dump: 'pg_dump',
  migrations: 'Migrations',
  migration_lock: 'Migration lock',
};

/** A failure here means the checks after it cannot run. */
export const BLOCKING: ReadonlySet<CheckId> = new Set(['settings', 'dns', 'reachable', 'tls', 'auth', 'database']);

export type CheckStatus = 'passed' | 'failed' | 'warning' | 'skipped';

/** What the tool can do about a failure, now. */
export type ActionId = 'retry' | 'create_database' | 'create_role' | 'grant_privileges' | 'stamp';

export interface CheckAction {
  id: ActionId;
  /** e.g. `create database "connector_db" owned by "connector_user"` */
  label: string;
  /** True when the configured role cannot do it and an admin connection is needed. */
  needsAdmin: boolean;
}

/** Codes the doctor uses beyond the connection classifier's. */
export type CheckCode = ToolErrorCode | 'transaction_pooler';

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** Set when failed or warning. */
  code?: CheckCode;
  /** One sentence: what was found (or, when skipped, why). */
  message: string;
  /** The server's own words, the settings involved and where they came from. */
  evidence: string[];
  /** Commands to copy, tailored to the settings in use: local form, then `docker compose exec db ...`. */
  fixes: string[];
  /** What the tool can do about it now (screens offer these). */
  actions: CheckAction[];
  elapsedMs: number;
}

export interface DoctorReport {
  ok: boolean;
  /** `user@host:port/db` (never the password); absent when the settings are invalid. */
  target?: string;
  checks: CheckResult[];
}

export function result(id: CheckId, status: CheckStatus, message: string, more: Partial<Omit<CheckResult, 'id' | 'status' | 'message' | 'title'>> = {}): CheckResult {
  return { id, title: CHECK_TITLES[id], status, message, evidence: [], fixes: [], actions: [], elapsedMs: 0, ...more };
}
