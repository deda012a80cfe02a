/** sha256 of a file, streamed (a 10 GB backup needs no more memory than a small one). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export async function sha256File(file: string, options: { signal?: AbortSignal; onBytes?: (read: number) => void } = {}): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    createReadStream(file, { highWaterMark: 1 << 20 }),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        options.onBytes?.(size);
        done();
      },
    }),
    { signal: options.signal },
  );
  return { sha256: hash.digest('hex'), size };
}
