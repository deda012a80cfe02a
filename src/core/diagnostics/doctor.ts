/**
 * The doctor: run the checks in order, stop at the first one that blocks
 * the rest (those show as skipped, with why), and return one report. Every
 * side effect (login, DNS, pg_dump search, migrations status) comes in as a
 * dependency, so the same function serves the command, the screen and the
 * tests against real servers.
 */
import net from 'node:net';
import type dns from 'node:dns';
import type pg from 'pg';
import type { Settings } from '../config/resolve.js';
import { describeTarget } from '../config/url.js';
import { openClient as realOpenClient, type DbSettings, type OpenOptions } from '../db/connect.js';
import { effectiveSslMode, tlsOptions } from '../db/client-config.js';
import { readServerInfo, majorVersion } from '../db/server-info.js';
import { ConfigError, isToolError, ToolError } from '../errors.js';
import { findBinaries, type PgBinary } from '../system/pg-binaries.js';
import { BLOCKING, CHECK_IDS, CHECK_TITLES, result, type CheckId, type CheckResult, type DoctorReport } from './check-types.js';
import { dnsCheck, reachableCheck, settingsCheck, tlsCheck, tlsRequiredCheck, type OtherPort } from './checks-network.js';
import { authFailed, authPassed, checkForLoginFailure, connectPrivilegeMissing, databaseMissing } from './checks-login.js';
import { pgDumpCheck, poolCheck, poolerCheck, privilegesCheck, readOnlyCheck, readPoolFacts, versionCheck } from './checks-server.js';
import { fixContextOf, isSocket, type FixContext } from './fix-context.js';
import { lookupHost, probeServer, type ServerProbe } from './probe-network.js';

/** The migrations engine's part of the doctor: results for `migrations` and `migration_lock`. */
export type MigrationChecks = (input: { client: pg.Client; settings: Settings; ctx: FixContext }) => Promise<CheckResult[]>;

export interface DoctorDeps {
  openClient: (settings: DbSettings, options?: OpenOptions) => Promise<pg.Client>;
  lookup: typeof dns.promises.lookup;
  findPgDump: () => Promise<PgBinary[]>;
  migrations?: MigrationChecks;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  osRelease?: string;
}

export interface DoctorInput {
  /** The resolved settings, or the error that resolving them raised. */
  settings: Settings | ConfigError;
  deps?: Partial<DoctorDeps>;
  /** Called as each check finishes (screens draw the list as it grows). */
  onCheck?: (check: CheckResult) => void;
}

export function dbSettingsFrom(settings: Settings): DbSettings {
  return { target: settings.target, connectTimeout: settings.connectTimeout, poolSize: settings.poolSize, maxOverflow: settings.maxOverflow, echo: false };
}

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const env = input.deps?.env ?? process.env;
  const deps: DoctorDeps = {
    openClient: realOpenClient,
    lookup: (await import('node:dns')).promises.lookup,
    findPgDump: () => findBinaries('pg_dump', env),
    env,
    platform: process.platform,
    ...input.deps,
  };
  const checks: CheckResult[] = [];
  let blockedBy: CheckResult | undefined;
  const emit = (check: CheckResult, started?: number) => {
    const done = started === undefined ? check : { ...check, elapsedMs: Math.round(performance.now() - started) };
    checks.push(done);
    input.onCheck?.(done);
    if (done.status === 'failed' && BLOCKING.has(done.id) && !blockedBy) blockedBy = done;
  };
  const finish = (target?: string): DoctorReport => {
    for (const id of CHECK_IDS) {
      if (checks.some((c) => c.id === id)) continue;
      const why = blockedBy ? `skipped: needs "${blockedBy.title}" (${blockedBy.code})` : 'skipped';
      emit(result(id, 'skipped', why));
    }
    checks.sort((a, b) => CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id));
    return { ok: !checks.some((c) => c.status === 'failed'), ...(target ? { target } : {}), checks };
  };

  emit(settingsCheck(input.settings));
  if (input.settings instanceof ConfigError) return finish();
  const settings = input.settings;
  const ctx = fixContextOf(settings, deps.platform);
  const target = describeTarget(settings.target);
  const { host, port } = settings.target;
  const timeoutMs = Math.round(settings.connectTimeout * 1000);

  let t = performance.now();
  const lookup = isSocket(host) ? 'socket' : net.isIP(host) ? 'ip' : await lookupHost(host, timeoutMs, deps.lookup);
  emit(dnsCheck(ctx, lookup), t);
  if (blockedBy) return finish(target);

  t = performance.now();
  const mode = effectiveSslMode(settings.target);
  const verifyTls = mode === 'disable' || isSocket(host) ? false : tlsOptions(mode, env, undefined, settings.target.sslrootcert);
  const probe = await probeServer(host, port, timeoutMs, { tlsOptions: verifyTls });
  const others = probe.kind === 'refused' ? await otherPorts(settings, timeoutMs) : [];
  const reach = { ...reachableCheck(ctx, probe, others), elapsedMs: Math.round(performance.now() - t) };
  if (probe.kind !== 'postgres') {
    emit(reach);
    return finish(target);
  }

  // One real login answers reachability (a server starting up), TLS (hostssl-only
  // lines), auth, database and CONNECT, so those are emitted after it.
  t = performance.now();
  const tlsResult = tlsCheck(ctx, probe);
  if (tlsResult.status === 'failed') {
    emit(reach);
    emit(tlsResult, t);
    return finish(target);
  }
  let client: pg.Client | undefined;
  try {
    client = await deps.openClient(dbSettingsFrom(settings), { env });
  } catch (error) {
    if (!isToolError(error)) throw error;
    await reportLoginFailure(error, ctx, settings, deps, { reach, tls: tlsResult }, emit, t);
    return finish(target);
  }
  try {
    emit(reach);
    emit(tlsResult, t);
    emit(authPassed(ctx, probe.offersTls && mode !== 'disable' ? ' over TLS' : ''));
    emit(result('database', 'passed', `Database "${settings.target.database}" exists.`));
    await serverChecks(client, ctx, settings, deps, emit);
  } finally {
    await client.end().catch(() => {});
  }
  return finish(target);
}

async function reportLoginFailure(
  error: ToolError,
  ctx: FixContext,
  settings: Settings,
  deps: DoctorDeps,
  passed: { reach: CheckResult; tls: CheckResult },
  emit: (c: CheckResult, started?: number) => void,
  started: number,
): Promise<void> {
  const where = checkForLoginFailure(error);
  const tlsResult = passed.tls;
  if (where !== 'reachable') emit(passed.reach);
  if (where === 'tls') {
    emit(error.code === 'tls_required' ? tlsRequiredCheck(ctx, error.evidence, error.message) : result('tls', 'failed', error.message, { code: error.code, evidence: error.evidence }), started);
    return;
  }
  if (where === 'reachable') {
    // The probe got an answer, but the login did not (starting up, dropped): reported on reachability.
    emit(result('reachable', 'failed', error.message, { code: error.code, evidence: error.evidence, fixes: startingFixes(ctx, error), actions: [{ id: 'retry', label: 'check again', needsAdmin: false }] }), started);
    return;
  }
  emit(tlsResult, started);
  if (where === 'auth') {
    emit(authFailed(ctx, error));
    return;
  }
  emit(authPassed(ctx, where === 'database' ? ' (the server checks the password before the database)' : ''));
  if (where === 'database') {
    const facts = await databaseFactsAs(settings, deps);
    emit(databaseMissing(ctx, error, facts));
    return;
  }
  emit(result('database', 'passed', `Database "${settings.target.database}" exists.`));
  emit(connectPrivilegeMissing(ctx, error));
}

function startingFixes(ctx: FixContext, error: ToolError): string[] {
  if (error.code !== 'server_starting') return [];
  const { host, port } = ctx.target;
  return [
    `pg_isready -h ${host} -p ${port}   # repeat until it says "accepting connections"`,
    ctx.platform === 'darwin' ? 'tail -n 50 "$(brew --prefix)/var/log/postgresql@15.log"' : 'sudo journalctl -u postgresql --since -10min   # the server log says why (recovery, shutdown)',
    'docker compose logs --tail 50 db   # in the app\'s Docker Compose',
  ];
}

/** With the database missing, log in to `postgres` (then `template1`) to learn whether the role may create it. */
async function databaseFactsAs(settings: Settings, deps: DoctorDeps): Promise<{ canCreate?: boolean; databases?: string[] }> {
  for (const database of ['postgres', 'template1']) {
    try {
      const client = await deps.openClient(dbSettingsFrom(settings), { env: deps.env, database });
      try {
        const { rows } = await client.query<{ can: boolean; dbs: string[] }>(
          `select (select rolcreatedb or rolsuper from pg_roles where rolname = current_user) as can,
                  array(select datname::text from pg_database where not datistemplate and datallowconn order by datname) as dbs`,
        );
        return { canCreate: rows[0]?.can ?? false, databases: rows[0]?.dbs ?? [] };
      } finally {
        await client.end().catch(() => {});
      }
    } catch {
      // try the next one; without either we simply do not know
    }
  }
  return {};
}

async function serverChecks(client: pg.Client, ctx: FixContext, settings: Settings, deps: DoctorDeps, emit: (c: CheckResult, started?: number) => void): Promise<void> {
  const step = async (id: CheckId, run: () => Promise<CheckResult>) => {
    const t = performance.now();
    try {
      emit(await run(), t);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      emit(result(id, 'failed', `The check itself failed: ${message}`, { code: isToolError(error) ? error.code : 'server_error', evidence: [message] }), t);
    }
  };
  const info = await readServerInfo(client);
  await step('version', async () => versionCheck(ctx, info));
  await step('read_only', () => readOnlyCheck(ctx, client));
  await step('privileges', () => privilegesCheck(ctx, client));
  await step('pool', async () => poolCheck(ctx, await readPoolFacts(client)));
  await step('pooler', () => poolerCheck(ctx, client));
  await step('pg_dump', async () => pgDumpCheck(ctx, await deps.findPgDump(), majorVersion(info.versionNum), deps.osRelease));
  if (deps.migrations) {
    const t = performance.now();
    try {
      for (const check of await deps.migrations({ client, settings, ctx })) emit(check, t);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      emit(result('migrations', 'failed', `Reading the migration status failed: ${message}`, { code: isToolError(error) ? error.code : 'server_error', evidence: [message] }), t);
    }
  } else {
    emit(result('migrations', 'skipped', 'skipped: the migration status was not asked for'));
    emit(result('migration_lock', 'skipped', 'skipped: the migration status was not asked for'));
  }
}

/** When the configured port refuses, where else on the same host PostgreSQL answers (the app's Docker ports, the default). */
async function otherPorts(settings: Settings, timeoutMs: number): Promise<OtherPort[]> {
  const { host, port } = settings.target;
  const candidates: OtherPort[] = [];
  const add = (p: number, why: string) => {
    if (p !== port && !candidates.some((c) => c.port === p)) candidates.push({ port: p, why });
  };
  add(settings.extPort, `DATABASE__EXT_PORT, the port the app's Docker Compose publishes on the host`);
  add(settings.intPort, `DATABASE__INT_PORT, the database's port inside Docker`);
  add(5432, "PostgreSQL's default port");
  const probes = await Promise.all(candidates.map(async (c) => ({ c, p: await probeServer(host, c.port, Math.min(timeoutMs, 1500)) })));
  return probes.filter((x): x is { c: OtherPort; p: Extract<ServerProbe, { kind: 'postgres' }> } => x.p.kind === 'postgres').map((x) => x.c);
}

export { CHECK_TITLES };
