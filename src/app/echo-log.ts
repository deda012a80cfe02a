/**
 * DATABASE__ECHO on the screens: the statements cannot go to stderr (it is
 * the screen), so they are appended to a 0600 log file that another pane can
 * follow with `tail -f` (`$XDG_STATE_HOME/connector-db/echo.log`).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setDefaultEchoSink } from '../core/db/echo.js';

export function echoLogPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'connector-db', 'echo.log');
}

/** Send echo lines to the log file; returns its path. */
export function startEchoLog(env: Record<string, string | undefined>): string {
  const file = echoLogPath(env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  setDefaultEchoSink((line) => {
    try {
      appendFileSync(file, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
    } catch {
      // A full disk must not break the screens; the statements simply go unlogged.
    }
  });
  return file;
}
