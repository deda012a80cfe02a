/**
 * The COPY OUT reader against a synthesized protocol stream, cut into
 * chunks at every possible place: the payloads come out whole and in
 * order, and the bytes after CopyDone (or from an ErrorResponse on) go
 * back to node-postgres untouched.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CopyOutQuery } from '../../src/core/query/copy-out.js';

function message(code: string, payload: Buffer | string): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const head = Buffer.alloc(5);
  head.write(code, 0, 'latin1');
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

class FakeSocket extends EventEmitter {
  pause() {}
  resume() {}
}

function run(original: Buffer, cut: number[]) {
  // The reader reuses each chunk it is given (as sockets hand over fresh ones): give it copies.
  const stream = Buffer.from(original);
  const socket = new FakeSocket();
  const handedBack: Buffer[] = [];
  socket.on('data', (b: Buffer) => handedBack.push(b));
  const sink = new PassThrough();
  const out: Buffer[] = [];
  sink.on('data', (b: Buffer) => out.push(b));
  const copy = new CopyOutQuery('COPY t TO STDOUT', sink);
  const sent: string[] = [];
  copy.submit({ stream: socket as never, query: (t: string) => sent.push(t) });
  let from = 0;
  for (const at of [...cut, stream.length]) {
    if (at > from) socket.emit('data', stream.subarray(from, at));
    from = at;
  }
  return { sent, out: Buffer.concat(out).toString('utf8'), handedBack: Buffer.concat(handedBack) };
}

describe('COPY OUT reader', () => {
  const rows = ['id,name\n', '1,"a,b"\n', '2,😀\n', 'x'.repeat(300) + '\n'];
  const tail = Buffer.concat([message('C', 'COPY 3\0'), message('Z', 'I')]);
  const stream = Buffer.concat([message('H', Buffer.from([0, 0, 2, 0, 0, 0, 0])), ...rows.map((r) => message('d', r)), message('c', ''), tail]);

  it('strips the framing at every chunk boundary and hands the rest back after CopyDone', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const r = run(stream, [cut]);
      expect(r.out).toBe(rows.join(''));
      expect(r.handedBack.equals(tail)).toBe(true);
    }
    const r = run(stream, Array.from({ length: stream.length }, (_, i) => i)); // one byte at a time
    expect(r.out).toBe(rows.join(''));
    expect(r.sent).toEqual(['COPY t TO STDOUT']);
  });

  it('hands an ErrorResponse back to node-postgres', () => {
    const error = Buffer.concat([message('E', 'SERROR\0C42P01\0Mrelation "t" does not exist\0\0'), message('Z', 'I')]);
    for (let cut = 1; cut < error.length; cut++) {
      const r = run(error, [cut]);
      expect(r.out).toBe('');
      expect(r.handedBack.equals(error)).toBe(true);
    }
  });
});
