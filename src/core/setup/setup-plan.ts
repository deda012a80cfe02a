/**
 * Pure decisions of the setup guide: the target as answered, what the
 * doctor's report means for setup (ready, provision with or without an
 * admin, nothing reachable, or blocked by something setup cannot fix), and
 * which `.env` lines make the answers stick.
 */
import type { Settings, Target } from '../config/resolve.js';
import type { Source } from '../config/sources.js';
import { findPlaceholders, parseDatabaseUrl } from '../config/url.js';
import type { CheckResult, DoctorReport } from '../diagnostics/check-types.js';
import type { EnvChange } from './env-plan.js';

export interface SetupAnswers {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
}

export const ANSWER_SOURCE: Source = { kind: 'flag', label: 'setup' };

/** The settings with the target replaced by the answers (so a DATABASE__URL cannot override them). */
export function withAnswers(settings: Settings, answers: SetupAnswers): Settings {
  const target: Target = {
    host: answers.host,
    port: answers.port,
    database: answers.database,
    user: answers.user,
    ...(answers.password !== undefined ? { password: answers.password } : {}),
    ...(settings.target.sslmode ? { sslmode: settings.target.sslmode } : {}),
    ...(settings.target.sslrootcert ? { sslrootcert: settings.target.sslrootcert } : {}),
  };
  return {
    ...settings,
    target,
    targetSources: { ...settings.targetSources, host: ANSWER_SOURCE, port: ANSWER_SOURCE, database: ANSWER_SOURCE, user: ANSWER_SOURCE, password: answers.password !== undefined ? ANSWER_SOURCE : undefined },
  };
}

export type SetupNext =
  | { kind: 'ready' }
  /** Role, database or privileges are missing: setup creates them (with an admin login unless the role can do it). */
  | { kind: 'provision'; needsAdmin: boolean; resetPassword: boolean; reasons: CheckResult[] }
  /** Nothing answers at the address (and no other port of the app's either): offer the devdb. */
  | { kind: 'unreachable'; check: CheckResult }
  /** Something setup cannot fix itself; the check carries the doctor's fix. */
  | { kind: 'blocked'; check: CheckResult };

export function nextStep(report: DoctorReport): SetupNext {
  const failed = (id: CheckResult['id']) => report.checks.find((c) => c.id === id && c.status === 'failed');
  for (const id of ['settings', 'dns'] as const) {
    const c = failed(id);
    if (c) return { kind: 'blocked', check: c };
  }
  const reach = failed('reachable');
  if (reach) {
    const nothingThere = (reach.code === 'connection_refused' && !/PostgreSQL answers on/.test(reach.message)) || reach.code === 'connection_timeout';
    return nothingThere ? { kind: 'unreachable', check: reach } : { kind: 'blocked', check: reach };
  }
  const tls = failed('tls');
  if (tls) return { kind: 'blocked', check: tls };
  const auth = failed('auth');
  if (auth) {
    if (auth.code === 'auth_failed' || auth.code === 'role_missing') return { kind: 'provision', needsAdmin: true, resetPassword: true, reasons: [auth] };
    return { kind: 'blocked', check: auth };
  }
  // A server too old for the schema is refused before anything is created on it.
  const version = failed('version');
  if (version) return { kind: 'blocked', check: version };
  const reasons: CheckResult[] = [];
  let needsAdmin = false;
  const db = failed('database');
  if (db) {
    reasons.push(db);
    needsAdmin ||= db.actions.some((a) => a.id === 'create_database' && a.needsAdmin);
  }
  const priv = failed('privileges');
  if (priv) {
    reasons.push(priv);
    needsAdmin = true;
  }
  if (reasons.length > 0) return { kind: 'provision', needsAdmin, resetPassword: false, reasons };
  const readOnly = failed('read_only');
  if (readOnly) return { kind: 'blocked', check: readOnly };
  return { kind: 'ready' };
}

/**
 * The old URL's query without what names the target (host, port, user,
 * password, dbname): those would override the placeholders, and an old
 * password would both stay in the file and win over DATABASE__PASSWORD.
 */
function keptQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return '';
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((pair) => pair !== '' && !['host', 'hostaddr', 'port', 'user', 'password', 'dbname'].includes(pair.split('=')[0]?.toLowerCase() ?? ''));
  return kept.length > 0 ? `?${kept.join('&')}` : '';
}

export interface EnvIntent {
  changes: EnvChange[];
  /** Things the person should know (a DATABASE__URL elsewhere that overrides the file). */
  notes: string[];
}

/**
 * The lines that make the answers what the app reads: the five parts, and a
 * DATABASE__URL in the same file rewritten to placeholders (keeping its
 * driver and options, less those naming the target) so it follows them
 * instead of overriding them.
 */
export function envIntent(settings: Settings, answers: SetupAnswers, envFileUrl: string | undefined): EnvIntent {
  const changes: EnvChange[] = [
    { key: 'DATABASE__HOST', value: answers.host },
    { key: 'DATABASE__PORT', value: String(answers.port) },
    { key: 'DATABASE__NAME', value: answers.database },
    { key: 'DATABASE__USER', value: answers.user },
  ];
  if (answers.password !== undefined) changes.push({ key: 'DATABASE__PASSWORD', value: answers.password, secret: true });
  const notes: string[] = [];
  if (envFileUrl !== undefined && envFileUrl.trim() !== '' && findPlaceholders(envFileUrl).length === 0) {
    let driver = '';
    let query = '';
    try {
      driver = parseDatabaseUrl(envFileUrl.trim()).driver ?? '';
      query = keptQuery(envFileUrl);
    } catch {
      // unparsable: replaced by the plain form
    }
    const scheme = driver ? `postgresql+${driver}` : 'postgresql';
    changes.push({ key: 'DATABASE__URL', value: `${scheme}://\${DATABASE__USER}:\${DATABASE__PASSWORD}@\${DATABASE__HOST}:\${DATABASE__PORT}/\${DATABASE__NAME}${query}`, verbatim: true });
    notes.push('DATABASE__URL in .env is rewritten with ${...} placeholders, so it follows the parts (docker compose and the app fill them in).');
  }
  // What the environment sets wins over .env: say so, or the app (and connector-db) keep the old values.
  for (const c of changes) {
    const entry = settings.entries.find((e) => e.key === c.key);
    const src = entry?.source;
    if (!src || !['env', 'flag', 'libpq', 'service'].includes(src.kind)) continue;
    const where = src.kind === 'env' ? `the environment (${c.key})` : src.kind === 'libpq' ? `the environment (${src.variable ?? src.label})` : src.label;
    notes.push(`${c.key} is also set in ${where}, which wins over .env: unset it there, or set it to the new value too.`);
  }
  const urlEntry = settings.entries.find((e) => e.key === 'DATABASE__URL');
  if (urlEntry && urlEntry.display !== undefined && (urlEntry.source.kind === 'env' || urlEntry.source.kind === 'flag')) {
    notes.push(`DATABASE__URL is also set in ${urlEntry.source.kind === 'env' ? 'the environment' : urlEntry.source.label}, which overrides .env: unset it or update it too.`);
  }
  return { changes, notes };
}
