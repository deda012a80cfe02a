/**
 * Streams over SQL text, one line at a time, with memory bounded by the
 * longest line: a Writable that only reads (for the role scan before a
 * restore) and a Transform that drops lines (for --no-owner / --no-acl on
 * plain dumps, which psql cannot do itself).
 */
import { StringDecoder } from 'node:string_decoder';
import { Transform, Writable } from 'node:stream';

class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  /** Calls `onLine` for each complete line (without its newline). */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    const text = this.rest + this.decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  end(onLine: (line: string) => void): void {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    if (text !== '') onLine(text);
  }
}

/** A sink that calls `onLine` for every line. */
export function lineSink(onLine: (line: string) => void): Writable {
  const splitter = new LineSplitter();
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      splitter.push(chunk, onLine);
      done();
    },
    final(done) {
      splitter.end(onLine);
      done();
    },
  });
}

/** Passes lines through unless `keep(line)` says no. */
export function lineFilter(keep: (line: string) => boolean): Transform {
  const splitter = new LineSplitter();
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const kept: string[] = [];
      splitter.push(chunk, (line) => {
        if (keep(line)) kept.push(line);
      });
      done(null, kept.length > 0 ? kept.join('\n') + '\n' : undefined);
    },
    flush(done) {
      let last: string | undefined;
      splitter.end((line) => {
        if (keep(line)) last = line;
      });
      done(null, last !== undefined ? last + '\n' : undefined);
    },
  });
}
