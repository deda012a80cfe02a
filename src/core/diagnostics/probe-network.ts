/**
 * Low-level probes that run before any login: does the name resolve, does
 * anything accept a connection, does it answer PostgreSQL's SSLRequest, and
 * does a TLS handshake succeed. Each is bounded by the connect timeout, so
 * a refused port answers at once and a silent host costs at most that.
 */
import dns from 'node:dns';
import net from 'node:net';
import tls, { type ConnectionOptions } from 'node:tls';

export interface LookupOutcome {
  ok: boolean;
  addresses: string[];
  error?: NodeJS.ErrnoException;
}

/** Resolve a host name (the same resolver libpq and node-postgres use), bounded by `timeoutMs`. */
export async function lookupHost(host: string, timeoutMs: number, lookup: typeof dns.promises.lookup = dns.promises.lookup): Promise<LookupOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<LookupOutcome>((resolve) => {
    timer = setTimeout(() => {
      const error = Object.assign(new Error(`getaddrinfo ${host}: no answer within ${timeoutMs} ms`), { code: 'EAI_AGAIN' }) as NodeJS.ErrnoException;
      resolve({ ok: false, addresses: [], error });
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      lookup(host, { all: true }).then(
        (found) => ({ ok: true, addresses: found.map((a) => a.address) }),
        (error: NodeJS.ErrnoException) => ({ ok: false, addresses: [], error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export type ServerProbe =
  /** Something answered PostgreSQL's SSLRequest. */
  | { kind: 'postgres'; offersTls: boolean; tls?: TlsOutcome; localAddress?: string; elapsedMs: number }
  /** TCP RST / no socket file. */
  | { kind: 'refused'; error: NodeJS.ErrnoException; elapsedMs: number }
  /** No TCP connection within the timeout (or the network says unreachable). */
  | { kind: 'timeout'; error?: NodeJS.ErrnoException; elapsedMs: number }
  /** Connected, but no answer to the SSLRequest within the timeout. */
  | { kind: 'silent'; localAddress?: string; elapsedMs: number }
  /** Connected and answered, but not as PostgreSQL does (an HTTP server, a closed connection). */
  | { kind: 'not_postgres'; answer: string; elapsedMs: number }
  | { kind: 'error'; error: NodeJS.ErrnoException; elapsedMs: number };

export type TlsOutcome = { ok: true; protocol: string; authorized: boolean; subject?: string } | { ok: false; error: NodeJS.ErrnoException };

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export function socketPath(dir: string, port: number): string {
  return `${dir.replace(/\/+$/, '')}/.s.PGSQL.${port}`;
}

/**
 * Connect to host:port (or the socket in a directory), send an SSLRequest
 * and read the one-byte answer; with `tlsOptions`, also complete a TLS
 * handshake when the server offers TLS (verification as the options say).
 */
export function probeServer(host: string, port: number, timeoutMs: number, options: { tlsOptions?: ConnectionOptions | false } = {}): Promise<ServerProbe> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const socket = host.startsWith('/') ? net.connect({ path: socketPath(host, port) }) : net.connect({ host, port });
    const finish = (outcome: ServerProbe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish(connected ? { kind: 'silent', localAddress: socket.localAddress, elapsedMs: elapsed() } : { kind: 'timeout', elapsedMs: elapsed() });
    }, timeoutMs);
    socket.once('connect', () => {
      connected = true;
      socket.write(SSL_REQUEST);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (['ECONNREFUSED', 'ENOENT'].includes(error.code ?? '')) finish({ kind: 'refused', error, elapsedMs: elapsed() });
      else if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(error.code ?? '')) finish({ kind: 'timeout', error, elapsedMs: elapsed() });
      else finish({ kind: 'error', error, elapsedMs: elapsed() });
    });
    socket.once('close', () => finish({ kind: 'not_postgres', answer: '(the server closed the connection without answering)', elapsedMs: elapsed() }));
    socket.once('data', (data: Buffer) => {
      const first = String.fromCharCode(data[0] ?? 0);
      const localAddress = socket.localAddress;
      if (first === 'N') return finish({ kind: 'postgres', offersTls: false, localAddress, elapsedMs: elapsed() });
      if (first !== 'S') return finish({ kind: 'not_postgres', answer: printable(data), elapsedMs: elapsed() });
      if (!options.tlsOptions) return finish({ kind: 'postgres', offersTls: true, localAddress, elapsedMs: elapsed() });
      // Take the socket over for the handshake; the timer still bounds it.
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      socket.on('error', () => {});
      const secure = tls.connect({ ...options.tlsOptions, socket, ...(net.isIP(host) || host.startsWith('/') ? {} : { servername: host }) });
      secure.once('secureConnect', () => {
        const cert = secure.getPeerCertificate();
        const subject = cert && cert.subject ? Object.entries(cert.subject).map(([k, v]) => `${k}=${String(v)}`).join(', ') : undefined;
        const outcome: TlsOutcome = { ok: true, protocol: secure.getProtocol() ?? 'TLS', authorized: secure.authorized, ...(subject ? { subject } : {}) };
        secure.destroy();
        finish({ kind: 'postgres', offersTls: true, tls: outcome, localAddress, elapsedMs: elapsed() });
      });
      secure.once('error', (error: NodeJS.ErrnoException) => {
        secure.destroy();
        finish({ kind: 'postgres', offersTls: true, tls: { ok: false, error }, localAddress, elapsedMs: elapsed() });
      });
    });
  });
}

function printable(data: Buffer): string {
  const text = data.subarray(0, 40).toString('latin1').replace(/[^\x20-\x7E]/g, '.');
  return JSON.stringify(text);
}
