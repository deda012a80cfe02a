/**
 * A small transaction pooler speaking the PostgreSQL wire protocol, for the
 * doctor's pooler check: clients log in to it (trust), and each transaction
 * goes to the next free server session of a few it holds open, released at
 * ReadyForQuery(idle) — what PgBouncer does in pool_mode = transaction.
 */
import net from 'node:net';
import type { ClusterInfo } from './cluster.js';

const SSL_REQUEST = 80877103;
const PROTOCOL_3 = 196608;

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function cstrings(...pairs: string[]): Buffer {
  return Buffer.concat(pairs.map((s) => Buffer.from(s + '\0', 'utf8')));
}

/** Split a stream of typed messages; calls `on` with (type, the whole message bytes). */
function reader(on: (type: string, raw: Buffer) => void): (chunk: Buffer) => void {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 5) {
      const len = buf.readInt32BE(1);
      if (buf.length < len + 1) break;
      const raw = buf.subarray(0, len + 1);
      buf = buf.subarray(len + 1);
      on(String.fromCharCode(raw[0] as number), raw);
    }
  };
}

interface Backend {
  socket: net.Socket;
  client?: net.Socket;
}

async function openBackend(cluster: ClusterInfo, database: string): Promise<Backend> {
  const socket = net.connect({ path: `${cluster.socketDir}/.s.PGSQL.${cluster.port}` });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      const params = cstrings('user', cluster.user, 'database', database, '');
      const len = Buffer.alloc(8);
      len.writeInt32BE(params.length + 8, 0);
      len.writeInt32BE(PROTOCOL_3, 4);
      socket.write(Buffer.concat([len, params]));
    });
    socket.on('data', reader((type) => type === 'Z' && resolve()));
  });
  socket.removeAllListeners('data');
  return { socket };
}

export async function startTxPooler(cluster: ClusterInfo, database: string, size = 2): Promise<{ port: number; close: () => Promise<void> }> {
  const backends = await Promise.all(Array.from({ length: size }, () => openBackend(cluster, database)));
  let next = 0;
  const queue: (() => void)[] = [];
  for (const b of backends) {
    b.socket.on(
      'data',
      reader((type, raw) => {
        const client = b.client;
        client?.write(raw);
        if (type === 'Z' && raw[5] === 'I'.charCodeAt(0)) {
          b.client = undefined;
          queue.shift()?.();
        }
      }),
    );
  }
  const acquire = (client: net.Socket): Promise<Backend> =>
    new Promise((resolve) => {
      const attempt = () => {
        for (let i = 0; i < backends.length; i++) {
          const b = backends[(next + i) % backends.length] as Backend;
          if (!b.client) {
            next = (next + i + 1) % backends.length;
            b.client = client;
            return resolve(b);
          }
        }
        queue.push(attempt);
      };
      attempt();
    });

  const server = net.createServer((client) => {
    let started = false;
    let attached: Backend | undefined;
    let pending = Promise.resolve();
    let startup = Buffer.alloc(0);
    const typed = reader((type, raw) => {
      if (type === 'X') return void client.end();
      pending = pending.then(async () => {
        if (!attached || attached.client !== client) attached = await acquire(client);
        attached.socket.write(raw);
      });
    });
    client.on('data', (chunk: Buffer) => {
      if (started) return typed(chunk);
      startup = Buffer.concat([startup, chunk]);
      if (startup.length < 8 || startup.length < startup.readInt32BE(0)) return;
      const len = startup.readInt32BE(0);
      const code = startup.readInt32BE(4);
      const rest = startup.subarray(len);
      startup = Buffer.alloc(0);
      if (code === SSL_REQUEST) {
        client.write('N');
        if (rest.length) client.emit('data', rest);
        return;
      }
      started = true;
      const ok = Buffer.alloc(4);
      const key = Buffer.alloc(8);
      key.writeInt32BE(4242, 0);
      client.write(
        Buffer.concat([
          message('R', ok),
          message('S', cstrings('server_version', '15.0')),
          message('S', cstrings('client_encoding', 'UTF8')),
          message('S', cstrings('standard_conforming_strings', 'on')),
          message('S', cstrings('integer_datetimes', 'on')),
          message('S', cstrings('DateStyle', 'ISO, MDY')),
          message('K', key),
          message('Z', Buffer.from('I')),
        ]),
      );
      if (rest.length) typed(rest);
    });
    client.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: async () => {
      for (const b of backends) b.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
