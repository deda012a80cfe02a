/**
 * `--lock-timeout` (how long to wait for another migration run) and
 * `--lock-wait-timeout` (how long one migration may wait for a table lock),
 * checked before anything connects.
 */
import { ToolError } from '../core/errors.js';
import type { MigrationTimeouts } from '../core/migrations/bookkeeping.js';

/** PostgreSQL keeps lock_timeout in milliseconds in an int: 2147483 s (24.8 days) is the most it takes. */
export const MAX_TIMEOUT_SECONDS = 2_147_483;

/** `--lock-wait-timeout S` → lock_timeout for each migration; undefined when not given. */
export function parseLockWaitTimeout(raw: unknown): MigrationTimeouts | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const seconds = Number(text);
  if (text === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new ToolError('usage', `--lock-wait-timeout "${text}" is invalid; allowed: seconds, a number > 0 and <= ${MAX_TIMEOUT_SECONDS} (how long one migration may wait for a table lock)`, { exitCode: 2 });
  }
  return { lockTimeoutMs: Math.max(1, Math.round(seconds * 1000)) };
}

/** `--lock-timeout S` in seconds (default 0: fail at once and say who holds the lock). */
export function parseLockTimeout(raw: unknown): number {
  const text = String(raw ?? '0').trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value < 0 || value > MAX_TIMEOUT_SECONDS) {
    throw new ToolError('usage', `--lock-timeout "${text}" is invalid; allowed: seconds, a number from 0 (fail at once) to ${MAX_TIMEOUT_SECONDS}`, { exitCode: 2 });
  }
  return value;
}
