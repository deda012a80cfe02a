/**
 * The one place that turns raw socket, TLS and PostgreSQL errors into the
 * failure codes of DESIGN.md, with a sentence and the evidence. The faces
 * only show what this returns.
 */
import type { ToolErrorCode } from '../errors.js';
import { describeTarget } from '../config/url.js';
import type { Target } from '../config/resolve.js';

export interface Diagnosis {
  code: ToolErrorCode;
  /** One sentence: what is wrong. */
  message: string;
  /** The server's (or the socket's) own words, and other facts. */
  evidence: string[];
  sqlstate?: string;
}

export interface ClassifyContext {
  target: Pick<Target, 'host' | 'port' | 'database' | 'user'>;
  /** The TLS mode that was in force for the attempt that failed. */
  sslmode: string;
  connectTimeout: number;
}

interface PgLikeError {
  code?: string;
  errno?: number;
  syscall?: string;
  message?: string;
  severity?: string;
  detail?: string;
  hint?: string;
}

const TLS_VERIFY_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

export function classifyConnectionError(error: unknown, ctx: ClassifyContext): Diagnosis {
  const e = (error ?? {}) as PgLikeError;
  const raw = String(e.message ?? error);
  const where = ctx.target.host.startsWith('/') ? `the socket ${ctx.target.host}/.s.PGSQL.${ctx.target.port}` : `${ctx.target.host}:${ctx.target.port}`;
  const evidence = [raw];
  const diagnosis = (code: ToolErrorCode, message: string): Diagnosis => ({ code, message, evidence, ...(isSqlState(e.code) ? { sqlstate: e.code } : {}) });

  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return diagnosis('dns_failed', `The host name "${ctx.target.host}" does not resolve to an address.`);
    case 'ECONNREFUSED':
      return diagnosis('connection_refused', `Nothing accepts connections at ${where}: the server is not running there, or listens on another port or address.`);
    case 'ENOENT':
      if (ctx.target.host.startsWith('/')) return diagnosis('connection_refused', `No server socket at ${where}: the server is not running, or uses another socket directory or port.`);
      break;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return diagnosis('connection_timeout', `${where} did not answer (${e.code}): a firewall drops the packets, or the host is down.`);
    case '28P01':
      return diagnosis('auth_failed', `The server rejected the password for role "${ctx.target.user}" (or the role does not exist: PostgreSQL does not say which).`);
    case '3D000':
      return diagnosis('database_missing', `Database "${ctx.target.database}" does not exist on ${where}.`);
    case '53300':
      if (/too many connections for role/.test(raw)) return diagnosis('too_many_connections', `Role "${ctx.target.user}" has reached its own connection limit (ALTER ROLE ... CONNECTION LIMIT).`);
      if (/too many connections for database/.test(raw)) return diagnosis('too_many_connections', `Database "${ctx.target.database}" has reached its connection limit (ALTER DATABASE ... CONNECTION LIMIT).`);
      return diagnosis('too_many_connections', `The server has no free connection slot for role "${ctx.target.user}": max_connections is reached (or the rest are reserved).`);
    case '57P03':
      return diagnosis('server_starting', `The server at ${where} is starting up, shutting down or in recovery, and refuses connections for now.`);
    case '25006':
      return diagnosis('read_only', `The server at ${where} is read-only (a standby, or default_transaction_read_only is on).`);
    case '28000': {
      if (/role ".*" does not exist/.test(raw)) return diagnosis('role_missing', `Role "${ctx.target.user}" does not exist on ${where}.`);
      if (/no pg_hba\.conf entry/.test(raw)) {
        if (/no encryption/.test(raw) && ctx.sslmode === 'disable') {
          return diagnosis('tls_required', `The server accepts ${ctx.target.user} only over TLS (a hostssl line in pg_hba.conf), and sslmode=disable forbids TLS.`);
        }
        return diagnosis('no_hba_entry', `pg_hba.conf on the server has no line that lets role "${ctx.target.user}" reach database "${ctx.target.database}" from this address.`);
      }
      if (/rejects connection/.test(raw)) return diagnosis('no_hba_entry', `pg_hba.conf on the server rejects role "${ctx.target.user}" for database "${ctx.target.database}" from this address.`);
      return diagnosis('auth_failed', `The server refused role "${ctx.target.user}" for database "${ctx.target.database}".`);
    }
    case '42501':
      if (/permission denied for database/.test(raw)) return diagnosis('auth_failed', `Role "${ctx.target.user}" lacks CONNECT on database "${ctx.target.database}".`);
      break;
    default:
      break;
  }
  if (e.code && TLS_VERIFY_CODES.has(e.code)) {
    return diagnosis('tls_verify_failed', `The server's TLS certificate could not be verified (${e.code}) with sslmode=${ctx.sslmode}.`);
  }
  if (/does not support SSL connections/i.test(raw)) {
    return diagnosis('tls_unsupported', `sslmode=${ctx.sslmode} needs TLS, but the server at ${where} does not offer it.`);
  }
  if (/timeout expired|connection timeout/i.test(raw)) {
    return diagnosis('connection_timeout', `${where} did not complete a connection within ${ctx.connectTimeout} s (DATABASE__CONNECT_TIMEOUT).`);
  }
  if (/no password supplied|password must be/i.test(raw)) {
    return diagnosis('auth_failed', `The server asks for a password for role "${ctx.target.user}" and none is set.`);
  }
  if (/Connection terminated unexpectedly|ECONNRESET|socket hang up/i.test(raw) || e.code === 'ECONNRESET' || e.code === 'EPIPE') {
    return diagnosis('connection_lost', `${where} closed the connection during start-up (is it PostgreSQL? a pooler or proxy refusing us?).`);
  }
  return diagnosis('server_error', `Connecting to ${describeTarget(ctx.target)} failed: ${raw}`);
}

function isSqlState(code: string | undefined): code is string {
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
