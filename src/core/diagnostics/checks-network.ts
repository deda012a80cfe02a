/**
 * The checks before any login: settings, name resolution, reachability and
 * TLS. Each turns a probe's outcome into a result with the evidence and the
 * fix for the settings in use.
 */
import net from 'node:net';
import type { Settings } from '../config/resolve.js';
import { ConfigError } from '../errors.js';
import { classifyConnectionError } from '../db/classify.js';
import { effectiveSslMode } from '../db/client-config.js';
import { describeTarget } from '../config/url.js';
import { result, type CheckResult } from './check-types.js';
import { isLocalHost, isSocket, settingChangeFix, settingLine, whereToSet, type FixContext } from './fix-context.js';
import { socketPath, type LookupOutcome, type ServerProbe } from './probe-network.js';
import { shellCommand } from '../system/shell-quote.js';

export function settingsCheck(settings: Settings | ConfigError): CheckResult {
  if (settings instanceof ConfigError) {
    return result('settings', 'failed', `${settings.problems.length === 1 ? 'A setting is' : `${settings.problems.length} settings are`} invalid, so nothing else can be checked.`, {
      code: 'config_invalid',
      evidence: settings.problems,
      fixes: settings.problems.map(fixForProblem),
    });
  }
  const s = settings;
  const password = s.targetSources.password ? `password from ${s.targetSources.password.label}` : 'no password set';
  return result('settings', 'passed', `Target ${describeTarget(s.target)} (${password}).`, {
    evidence: [
      settingLine('DATABASE__HOST', s.target.host, s.targetSources.host),
      settingLine('DATABASE__PORT', s.target.port, s.targetSources.port),
      settingLine('DATABASE__NAME', s.target.database, s.targetSources.database),
      settingLine('DATABASE__USER', s.target.user, s.targetSources.user),
      ...s.notes,
    ],
  });
}

/** "DATABASE__PORT="x" from .env line 2 is invalid; allowed: ..." → "edit .env line 2: DATABASE__PORT must be ...". */
function fixForProblem(problem: string): string {
  const m = /^(\S+?)=.* from (.+?) is invalid; allowed: (.+)$/.exec(problem);
  if (m) return `edit ${m[2] === 'env' ? `the environment (${m[1]})` : m[2]}: ${m[1]} must be ${m[3]}`;
  const allowed = /; allowed: (.+)$/.exec(problem);
  return allowed ? `allowed: ${allowed[1]}` : 'see `connector-db config` for every value and where it came from';
}

export function dnsCheck(ctx: FixContext, lookup: LookupOutcome | 'socket' | 'ip'): CheckResult {
  const { host } = ctx.target;
  if (lookup === 'socket') return result('dns', 'passed', `${host} is a unix-socket directory; nothing to resolve.`);
  if (lookup === 'ip') return result('dns', 'passed', `${host} is an IP address; nothing to resolve.`);
  if (lookup.ok) return result('dns', 'passed', `${host} resolves to ${lookup.addresses.join(', ')}.`);
  const d = classifyConnectionError(lookup.error, { target: ctx.target, sslmode: 'prefer', connectTimeout: ctx.connectTimeout });
  const fixes: string[] = [];
  if (/^[a-z0-9_-]+$/i.test(host) && !isLocalHost(host)) {
    fixes.push(
      settingChangeFix(
        [
          { key: 'DATABASE__HOST', value: 'localhost', source: ctx.sources.host },
          { key: 'DATABASE__PORT', value: ctx.extPort, source: ctx.sources.port },
        ],
        `"${host}" looks like a service name inside Docker Compose; from this machine the app's compose file publishes the database on localhost:${ctx.extPort} (DATABASE__EXT_PORT)`,
      ),
    );
  }
  fixes.push(`${shellCommand(['getent', 'hosts', host])}   # what this machine resolves; correct the name ${whereToSet(ctx.sources.host)} or add it to /etc/hosts`);
  return result('dns', 'failed', d.message, { code: 'dns_failed', evidence: [...d.evidence, settingLine('DATABASE__HOST', host, ctx.sources.host)], fixes });
}

/** Another port on the same host where PostgreSQL answers (e.g. the app's published DATABASE__EXT_PORT). */
export interface OtherPort {
  port: number;
  why: string;
}

export function reachableCheck(ctx: FixContext, probe: ServerProbe, others: OtherPort[]): CheckResult {
  const { host, port } = ctx.target;
  const where = isSocket(host) ? socketPath(host, port) : `${host}:${port}`;
  const portLine = settingLine('DATABASE__PORT', port, ctx.sources.port);
  const hostLine = settingLine('DATABASE__HOST', host, ctx.sources.host);
  const classify = (error: unknown) => classifyConnectionError(error, { target: ctx.target, sslmode: effectiveSslMode(ctx.target), connectTimeout: ctx.connectTimeout });
  switch (probe.kind) {
    case 'postgres':
      return result('reachable', 'passed', `PostgreSQL answers at ${where} (${probe.elapsedMs} ms).`);
    case 'refused': {
      const d = classify(probe.error);
      const fixes: string[] = [];
      let message = d.message;
      const other = others[0];
      if (other) {
        message = `Nothing accepts connections at ${where}, but PostgreSQL answers on port ${other.port} — ${other.why}.`;
        fixes.push(settingChangeFix([{ key: 'DATABASE__PORT', value: other.port, source: ctx.sources.port }]));
      } else {
        fixes.push(...startServerFixes(ctx));
      }
      return result('reachable', 'failed', message, {
        code: 'connection_refused',
        evidence: [...d.evidence, hostLine, portLine, ...others.map((o) => `PostgreSQL answers on ${isSocket(host) ? socketPath(host, o.port) : `${host}:${o.port}`} (${o.why})`)],
        fixes,
        actions: [{ id: 'retry', label: 'check again', needsAdmin: false }],
      });
    }
    case 'timeout': {
      const timeoutLine = settingLine('DATABASE__CONNECT_TIMEOUT', ctx.connectTimeout, ctx.sourceOf('DATABASE__CONNECT_TIMEOUT'));
      const d = probe.error ? classify(probe.error) : undefined;
      return result('reachable', 'failed', d?.message ?? `${where} did not accept a connection within ${ctx.connectTimeout} s: a firewall drops the packets, or the host is down.`, {
        code: 'connection_timeout',
        evidence: [...(d?.evidence ?? [`no TCP answer from ${where} within ${ctx.connectTimeout} s`]), hostLine, portLine, timeoutLine],
        fixes: timeoutFixes(ctx),
        actions: [{ id: 'retry', label: 'check again', needsAdmin: false }],
      });
    }
    case 'silent':
      return result('reachable', 'failed', `${where} accepts connections but did not answer PostgreSQL's first message within ${ctx.connectTimeout} s: it is not PostgreSQL, or a hung server or proxy.`, {
        code: 'connection_timeout',
        evidence: [`TCP connected from ${probe.localAddress ?? 'here'}; no reply to the SSLRequest in ${probe.elapsedMs} ms`, hostLine, portLine],
        fixes: [
          ...(isLocalHost(host) && !isSocket(host) ? [`${shellCommand(['sudo', 'ss', '-ltnp', `sport = :${port}`])}   # which program listens on port ${port}`] : []),
          ...timeoutFixes(ctx),
        ],
        actions: [{ id: 'retry', label: 'check again', needsAdmin: false }],
      });
    case 'not_postgres':
      return result('reachable', 'failed', `${where} answers, but not as PostgreSQL does: another program listens on this port.`, {
        code: 'connection_lost',
        evidence: [`answer to the SSLRequest: ${probe.answer}`, hostLine, portLine],
        fixes: [
          ...(isLocalHost(host) && !isSocket(host) ? [`${shellCommand(['sudo', 'ss', '-ltnp', `sport = :${port}`])}   # which program listens on port ${port}`] : []),
          `set DATABASE__PORT to PostgreSQL's port ${whereToSet(ctx.sources.port)} (the app's Docker Compose publishes it on ${ctx.extPort})`,
        ],
      });
    case 'error': {
      const d = classify(probe.error);
      return result('reachable', 'failed', d.message, { code: d.code, evidence: [...d.evidence, hostLine, portLine], actions: [{ id: 'retry', label: 'check again', needsAdmin: false }] });
    }
  }
}

function startServerFixes(ctx: FixContext): string[] {
  const { host, port } = ctx.target;
  if (!isLocalHost(host)) {
    return [
      `${shellCommand(['pg_isready', '-h', host, '-p', String(port)])}   # is it up? on ${host}, check that PostgreSQL runs and that listen_addresses and port in postgresql.conf include this address and ${port}`,
      `on ${host}: sudo -u postgres psql -c 'SHOW listen_addresses' -c 'SHOW port'`,
    ];
  }
  const fixes: string[] = [];
  if (ctx.platform === 'darwin') fixes.push('brew services start postgresql@15   # a Homebrew server');
  else fixes.push('sudo systemctl start postgresql   # a packaged server (Debian: pg_lsclusters shows each cluster and its port)');
  fixes.push(`docker compose up -d db   # the app's own database; its compose file publishes it on localhost:${ctx.extPort} (DATABASE__EXT_PORT), so also set DATABASE__PORT=${ctx.extPort}`);
  fixes.push('connector-db devdb start   # a development server owned by connector-db, no Docker needed (connector-db setup does the rest)');
  return fixes;
}

function timeoutFixes(ctx: FixContext): string[] {
  const { host, port } = ctx.target;
  return [
    `${shellCommand(['nc', '-vz', '-w', String(Math.ceil(ctx.connectTimeout)), host, String(port)])}   # does any TCP connection get through? if not: a firewall, security group or VPN drops it`,
    `connector-db doctor --timeout 30   # a slow link may only need longer (DATABASE__CONNECT_TIMEOUT, now ${ctx.connectTimeout} s)`,
  ];
}

export function tlsCheck(ctx: FixContext, probe: Extract<ServerProbe, { kind: 'postgres' }>): CheckResult {
  const { host } = ctx.target;
  const mode = effectiveSslMode(ctx.target);
  const modeLine = settingLine('DATABASE__SSLMODE', ctx.target.sslmode ?? `${mode} (libpq's default)`, ctx.sources.sslmode);
  if (isSocket(host)) return result('tls', 'passed', 'Unix socket: TLS does not apply.');
  if (mode === 'disable') return result('tls', 'passed', `Not used (sslmode=disable)${probe.offersTls ? '; the server offers TLS' : ''}.`, { evidence: [modeLine] });
  if (!probe.offersTls) {
    if (mode === 'prefer') return result('tls', 'passed', 'The server offers no TLS; the connection is plain (sslmode=prefer allows that).', { evidence: [modeLine] });
    return result('tls', 'failed', `sslmode=${mode} needs TLS, but the server at ${host}:${ctx.target.port} does not offer it.`, {
      code: 'tls_unsupported',
      evidence: ['the server answered "N" to the SSLRequest (ssl = off)', modeLine],
      fixes: tlsUnsupportedFixes(ctx),
    });
  }
  const tls = probe.tls;
  if (tls && !tls.ok) {
    const verify = mode === 'verify-ca' || mode === 'verify-full';
    return result('tls', 'failed', verify ? `The server's TLS certificate could not be verified (${tls.error.code ?? tls.error.message}) with sslmode=${mode}.` : `The TLS handshake with the server failed: ${tls.error.message}.`, {
      code: 'tls_verify_failed',
      evidence: [tls.error.message, modeLine, ...(verify ? [`root certificates: PGSSLROOTCERT or ~/.postgresql/root.crt, else the system store`] : [])],
      fixes: tlsVerifyFixes(ctx),
    });
  }
  const how = tls ? `${tls.protocol}${tls.authorized ? ', certificate verified' : ', certificate not verified'}` : 'TLS offered';
  return result('tls', 'passed', `${how} (sslmode=${mode}).`, { evidence: [modeLine, ...(tls?.ok && tls.subject ? [`server certificate: ${tls.subject}`] : [])] });
}

/** The server accepts the role only over TLS and sslmode=disable forbids it (found at login). */
export function tlsRequiredCheck(ctx: FixContext, evidence: string[], message: string): CheckResult {
  return result('tls', 'failed', message, {
    code: 'tls_required',
    evidence: [...evidence, settingLine('DATABASE__SSLMODE', ctx.target.sslmode ?? 'disable', ctx.sources.sslmode)],
    fixes: [
      settingChangeFix([{ key: 'DATABASE__SSLMODE', value: 'require', source: ctx.sources.sslmode }], 'TLS, as the server demands for this role'),
    ],
  });
}

function tlsUnsupportedFixes(ctx: FixContext): string[] {
  return [
    settingChangeFix([{ key: 'DATABASE__SSLMODE', value: 'prefer', source: ctx.sources.sslmode }], 'plain TCP when the server has no TLS; only where that is acceptable'),
    `or turn TLS on at the server (server.crt and server.key in its data directory): sudo -u postgres psql -c 'ALTER SYSTEM SET ssl = on' -c 'SELECT pg_reload_conf()'`,
  ];
}

function tlsVerifyFixes(ctx: FixContext): string[] {
  const { host, port } = ctx.target;
  return [
    `${shellCommand(['openssl', 's_client', '-starttls', 'postgres', '-connect', `${net.isIPv6(host) ? `[${host}]` : host}:${port}`, '-showcerts'])} </dev/null   # the chain the server sends`,
    `${shellCommand(['env', 'PGSSLROOTCERT=/path/to/root.crt', 'connector-db', 'doctor'])}   # trust the CA that signed the server's certificate (or put it in ~/.postgresql/root.crt)`,
    settingChangeFix([{ key: 'DATABASE__SSLMODE', value: 'require', source: ctx.sources.sslmode }], 'encrypt without verifying the server (weaker)'),
  ];
}
