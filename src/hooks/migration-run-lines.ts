/**
 * The Migrations screen's log lines for a run: the runner's events as
 * before, and while a step waits on a lock for over a second, who blocks
 * it (pid, application, state, transaction age, query) and the command that
 * would end the blocker — the usual answer to "migrations take a long time".
 */
import type { MigrationRunEvent } from '../app/services.js';
import { blockedLines, blockerFix } from '../core/monitor/migration-lock-watch.js';
import type { MigrationEvent } from '../core/migrations/events.js';

/**
 * `runnerLine` words the runner's own events (use-migrations' eventText).
 * A blocked event gives its lines on every look: the screen redraws the wait
 * in place, its time going up.
 */
export function runEventLines(event: MigrationRunEvent, runnerLine: (event: MigrationEvent) => string | null): string[] {
  if (event.type === 'blocked') {
    const [first, ...rest] = blockedLines(event.report, event.waitedMs);
    const fix = blockerFix(event.report);
    return [`! ${first}`, ...rest.map((l) => `  ${l}`), ...(fix ? [`  fix: ${fix}`] : [])];
  }
  if (event.type === 'wait_ended') return [`  the lock wait ended after ${(event.waitedMs / 1000).toFixed(1)} s`];
  const line = runnerLine(event);
  return line ? [line] : [];
}
