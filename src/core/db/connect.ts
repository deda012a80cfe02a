/**
 * Open node-postgres clients and pools from the settings. Failures come out
 * as ToolErrors carrying the classifier's code; `prefer` falls back to plain
 * TCP when the server has no TLS, as libpq does.
 */
import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { ToolError } from '../errors.js';
import type { Target } from '../config/resolve.js';
import { classifyConnectionError } from './classify.js';
import { clientConfig, effectiveSslMode, tlsOptions, type ConnectOptions } from './client-config.js';
import { defaultEchoSink, formatEcho, type EchoSink } from './echo.js';

export interface DbSettings {
  target: Target;
  connectTimeout: number;
  poolSize: number;
  maxOverflow: number;
  echo: boolean;
}

export interface OpenOptions extends Partial<ConnectOptions> {
  /** Where DATABASE__ECHO lines go (stderr for commands, a log pane for screens). */
  echoSink?: EchoSink;
  env?: Record<string, string | undefined>;
  /** withClient: end the client without waiting for the server's goodbye (see endClient). */
  endWithoutWaiting?: boolean;
}

/** The TLS choice that worked for `prefer`, so later connections skip the failed attempt. */
const preferOutcome = new Map<string, ConnectionOptions | false>();

function passwordFor(target: Target): () => Promise<string> {
  // Asked only when the server wants a password; without one, say so plainly.
  return async () => {
    if (target.password === undefined) {
      throw new ToolError('auth_failed', `The server asks for a password for role "${target.user}" and none is set.`, {
        evidence: ['no password supplied (DATABASE__PASSWORD, DATABASE__URL, PGPASSWORD and ~/.pgpass are all empty)'],
      });
    }
    return target.password;
  };
}

function baseOptions(settings: DbSettings, options: OpenOptions): ConnectOptions {
  return {
    connectTimeout: options.connectTimeout ?? settings.connectTimeout,
    ...(options.applicationName ? { applicationName: options.applicationName } : {}),
    ...(options.database ? { database: options.database } : {}),
    ...(options.statementTimeoutMs !== undefined ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
    ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
  };
}

function cacheKey(target: Target): string {
  return `${target.host}:${target.port}`;
}

/** The TLS attempts to make, in order, for the target's sslmode. */
function tlsAttempts(target: Target, env: Record<string, string | undefined>): (ConnectionOptions | false)[] {
  const mode = effectiveSslMode(target);
  if (mode === 'prefer') {
    const known = preferOutcome.get(cacheKey(target));
    return known !== undefined ? [known] : [tlsOptions('prefer', env), false];
  }
  return [tlsOptions(mode, env, undefined, target.sslrootcert)];
}

function instrument(client: pg.Client, sink: EchoSink): void {
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    const values = typeof first === 'string' ? (args[1] as unknown[] | undefined) : first?.values;
    if (typeof text === 'string') sink(formatEcho(text, Array.isArray(values) ? values : undefined));
    return original(...args);
  };
}

/** Open one client, classified on failure. The caller ends it. */
export async function openClient(settings: DbSettings, options: OpenOptions = {}): Promise<pg.Client> {
  const env = options.env ?? process.env;
  const base = baseOptions(settings, options);
  const target = settings.target;
  const attempts = tlsAttempts(target, env);
  let lastError: unknown;
  for (let i = 0; i < attempts.length; i++) {
    const ssl = attempts[i] as ConnectionOptions | false;
    const config = { ...clientConfig(target, base, ssl), password: passwordFor(target) };
    const client = new pg.Client(config as pg.ClientConfig);
    // An error after connect (server restart, terminate) must not crash the process.
    client.on('error', () => {});
    try {
      await client.connect();
      if (effectiveSslMode(target) === 'prefer') preferOutcome.set(cacheKey(target), ssl);
      const sink = options.echoSink ?? defaultEchoSink();
      if (settings.echo && sink) instrument(client, sink);
      return client;
    } catch (error) {
      destroy(client);
      lastError = error;
      const noTls = /does not support SSL connections/i.test(String((error as Error)?.message));
      if (!(noTls && i + 1 < attempts.length)) break;
    }
  }
  throw toToolError(lastError, settings, base);
}

function toToolError(error: unknown, settings: DbSettings, base: ConnectOptions): ToolError {
  if (error instanceof ToolError) return error;
  const target = { ...settings.target, database: base.database ?? settings.target.database };
  const d = classifyConnectionError(error, { target, sslmode: effectiveSslMode(settings.target), connectTimeout: base.connectTimeout });
  return new ToolError(d.code, d.message, { evidence: d.evidence, cause: error });
}

function destroy(client: pg.Client): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream;
  stream?.destroy?.();
}

/**
 * A pool shaped like the connector app's: max = pool size + overflow. The
 * first connection is opened here so that a failure is classified at once.
 */
export async function createPool(settings: DbSettings, options: OpenOptions = {}): Promise<pg.Pool> {
  const probe = await openClient(settings, options);
  await probe.end();
  const env = options.env ?? process.env;
  const base = baseOptions(settings, options);
  const ssl = tlsAttempts(settings.target, env)[0] as ConnectionOptions | false;
  const pool = new pg.Pool({
    ...clientConfig(settings.target, base, ssl),
    password: passwordFor(settings.target),
    max: settings.poolSize + settings.maxOverflow,
  } as pg.PoolConfig);
  // A server restart or terminate must not crash the process: the next query reports it instead.
  pool.on('error', () => {});
  const sink = settings.echo ? (options.echoSink ?? defaultEchoSink()) : undefined;
  pool.on('connect', (client) => {
    client.on('error', () => {});
    if (sink) instrument(client, sink);
  });
  return pool;
}

/** Run `work` with a fresh client and always end it. */
export async function withClient<T>(settings: DbSettings, work: (client: pg.Client) => Promise<T>, options: OpenOptions = {}): Promise<T> {
  const client = await openClient(settings, options);
  try {
    return await work(client);
  } finally {
    await endClient(client, { endWithoutWaiting: options.endWithoutWaiting === true });
  }
}

/**
 * Send the goodbye (Terminate). With endWithoutWaiting, return without
 * waiting ~8 ms for the server's backend to close its end: for a process
 * about to exit that opens nothing else on the database after.
 */
export async function endClient(client: pg.Client, options: { endWithoutWaiting?: boolean } = {}): Promise<void> {
  const ending = client.end().catch(() => {});
  if (!options.endWithoutWaiting) await ending;
}
