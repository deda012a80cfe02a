/**
 * Typed failures of the engine. The core throws these (never prints, never
 * exits); the faces turn them into one line of text or a JSON document.
 */

/** The stable failure codes of DESIGN.md §2 (scripts depend on these strings). */
export const FAILURE_CODES = [
  'config_invalid',
  'dns_failed',
  'connection_refused',
  'connection_timeout',
  'tls_required',
  'tls_unsupported',
  'tls_verify_failed',
  'no_hba_entry',
  'auth_failed',
  'role_missing',
  'database_missing',
  'too_many_connections',
  'server_starting',
  'server_too_old',
  'read_only',
  'schema_privilege_missing',
  'pool_exceeds_server',
  'pg_dump_missing',
  'pg_dump_too_old',
  'migrations_pending',
  'migration_drift',
  'unknown_revision',
  'schema_without_history',
  'migration_lock_held',
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

/** Codes that are not in DESIGN's list but still need a stable name. */
export type ToolErrorCode =
  | FailureCode
  | 'connection_lost'
  | 'server_error'
  | 'usage'
  | 'cancelled'
  | 'not_found'
  | 'failed'
  // migrations (issue 3): a migration's SQL failed; a file name or number is wrong; a pending file sorts before an applied one
  | 'migration_failed'
  | 'migration_files_invalid'
  | 'migration_out_of_order'
  // backups, restore, reset (issue 5)
  | 'backup_failed'
  | 'restore_failed'
  | 'checksum_mismatch'
  | 'database_in_use'
  | 'privilege_missing';

/** A failure the tool explains: what is wrong, the evidence, and the exit code it maps to. */
export class ToolError extends Error {
  readonly code: ToolErrorCode;
  /** Facts that support the message: the server's own words, the setting and its source. */
  readonly evidence: string[];
  /** Commands to copy that fix it, when the tool knows them. */
  readonly fixes: string[];
  /** 1 = a failure the tool explains; 2 = bad usage or bad settings. */
  readonly exitCode: 1 | 2;

  constructor(code: ToolErrorCode, message: string, options: { evidence?: string[]; fixes?: string[]; exitCode?: 1 | 2; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolError';
    this.code = code;
    this.evidence = options.evidence ?? [];
    this.fixes = options.fixes ?? [];
    this.exitCode = options.exitCode ?? (code === 'config_invalid' || code === 'usage' ? 2 : 1);
  }
}

/** One or more invalid settings; each problem is one line naming variable, source and what is allowed. */
export class ConfigError extends ToolError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('config_invalid', problems.join('\n'), { exitCode: 2 });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function isToolError(value: unknown): value is ToolError {
  return value instanceof ToolError;
}
