/**
 * `backup --print-cron`: one crontab line that takes a compressed backup
 * (gzip'd plain SQL, or pg_dump's custom format when asked for it, whole or
 * schema only) and applies the retention policy, built from the settings in use. Cron
 * runs with almost no environment (no shell profile, a bare PATH), so the
 * line names absolute paths (node, the tool, pg_dump's folder, the .env),
 * and every setting that today comes from the environment or a flag is
 * named as a warning: cron will not see it. The password never appears: it
 * stays in the 0600 .env or ~/.pgpass where the settings already found it.
 */
import type { Source } from '../config/sources.js';

export interface CronSetting {
  key: string;
  source: Source;
}

export interface CronInput {
  /** Five crontab fields; default every day at 03:17 (off the hour, when every other job starts). */
  schedule?: string;
  /** process.execPath: cron's PATH rarely has the node a version manager installed. */
  nodePath: string;
  /** Absolute path of bin/connector-db. */
  binPath: string;
  /** The project folder (where .env is read from). */
  cwd: string;
  /** An --env-file that was given (absolute), else undefined (./.env in cwd is read by default). */
  envFile?: string;
  /** The profile the settings come from (given with --profile, or the active one: pinned so a later `profile use` cannot move the backups). */
  profile?: string;
  /** CONNECTOR_DB_CONFIG_DIR from the shell, when a profile is in use: cron's environment would not have it. */
  configDir?: string;
  /** Absolute backups folder. */
  backupDir: string;
  keep?: number;
  keepDays?: number;
  /** pg_dump's custom format instead of gzip'd plain SQL (both compressed: a scheduled backup never is plain text). */
  custom?: boolean;
  schemaOnly?: boolean;
  /** The folder of the pg_dump that will be used, put first on PATH. */
  pgDumpDir?: string;
  /** Every setting with its source (settings.entries). */
  settings: CronSetting[];
}

export interface CronLine {
  line: string;
  /** Settings cron would not see, and what to do about each. */
  warnings: string[];
}

export const DEFAULT_CRON_SCHEDULE = '17 3 * * *';

/** Single-quote for sh; cron also treats an unescaped % as a newline. */
export function cronQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`.replace(/%/g, '\\%');
}

/** True when a value comes from the process environment or a flag: gone in cron's environment. */
function fromEnvironment(source: Source): boolean {
  if (source.kind === 'env' || source.kind === 'flag' || source.kind === 'libpq') return true;
  if (source.kind === 'url') return /\((env|flag [^)]*|PG[A-Z]+)\)$/.test(source.label);
  return false;
}

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@reboot']);
const FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'weekday', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** What cron (Vixie/cronie) would reject in a schedule, or null: five fields of *, N, N-M, lists and /steps within range, or an @daily-style macro. */
export function scheduleProblem(schedule: string): string | null {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length === 1 && fields[0]?.startsWith('@')) return MACROS.has(fields[0]) ? null : `${fields[0]} is not one of ${[...MACROS].join(' ')}`;
  if (fields.length !== 5) return 'five fields are needed: minute hour day month weekday (or a macro such as @daily)';
  for (const [i, field] of fields.entries()) {
    const spec = FIELDS[i] as (typeof FIELDS)[number];
    const value = (text: string): number | undefined => {
      const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
      if (named >= 0) return named + (spec.min === 1 ? 1 : 0);
      return /^\d+$/.test(text) ? Number(text) : undefined;
    };
    for (const part of (field as string).split(',')) {
      const [range = '', step, extra] = part.split('/');
      if (extra !== undefined || (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1))) return `"${part}" in the ${spec.name} field has a bad step (allowed: /N with N >= 1)`;
      if (range === '*') continue;
      const [from, to, more] = range.split('-');
      const a = value(from ?? '');
      const b = to === undefined ? a : value(to);
      if (more !== undefined || a === undefined || b === undefined || a < spec.min || b > spec.max || a > b) {
        return `"${part}" in the ${spec.name} field is out of range (allowed: ${spec.min}-${spec.max}${spec.names ? ` or names such as ${spec.names[0]}` : ''}, *, lists and /steps)`;
      }
    }
  }
  return null;
}

export function cronLine(input: CronInput): CronLine {
  const schedule = input.schedule ?? DEFAULT_CRON_SCHEDULE;
  const problem = scheduleProblem(schedule);
  if (problem) throw new RangeError(`"${schedule}" is not a crontab schedule: ${problem}`);
  const path = [...new Set([...(input.pgDumpDir ? [input.pgDumpDir] : []), '/usr/local/bin', '/usr/bin', '/bin'])].join(':');
  const globals = [...(input.envFile ? ['--env-file', cronQuote(input.envFile)] : []), ...(input.profile ? ['--profile', cronQuote(input.profile)] : [])];
  const retention = input.keep !== undefined ? ['--keep', String(input.keep)] : input.keepDays !== undefined ? ['--keep-days', String(input.keepDays)] : [];
  const log = `${input.backupDir.replace(/\/+$/, '')}/connector-db-cron.log`;
  const command = [
    `cd ${cronQuote(input.cwd)} &&`,
    `PATH=${cronQuote(path)}`,
    ...(input.configDir ? [`CONNECTOR_DB_CONFIG_DIR=${cronQuote(input.configDir)}`] : []),
    cronQuote(input.nodePath),
    cronQuote(input.binPath),
    ...globals,
    input.custom ? 'backup --format custom' : 'backup --gzip',
    ...(input.schemaOnly ? ['--schema-only'] : []),
    ...retention,
    '--dir',
    cronQuote(input.backupDir),
    `>> ${cronQuote(log)} 2>&1`,
  ].join(' ');
  const warnings: string[] = [];
  // When DATABASE__URL itself is missing from cron's world, the parts it carries need no line each.
  const urlMissing = input.settings.some((s) => s.key === 'DATABASE__URL' && fromEnvironment(s.source));
  for (const s of input.settings) {
    if (!fromEnvironment(s.source) || (urlMissing && s.source.kind === 'url')) continue;
    warnings.push(
      s.key === 'DATABASE__PASSWORD'
        ? `DATABASE__PASSWORD comes from ${s.source.label}, which cron does not have: put it in ~/.pgpass (mode 0600) or in ${input.envFile ?? `${input.cwd}/.env`} (mode 0600).`
        : `${s.key} comes from ${s.source.label}, which cron does not have: put it in ${input.envFile ?? `${input.cwd}/.env`} or a saved profile.`,
    );
  }
  if (retention.length === 0) warnings.push('No --keep or --keep-days: every backup is kept and the folder grows without end.');
  return { line: `${schedule} ${command}`, warnings };
}
