/**
 * A child's stdin as the last stage of a pipeline, guarded both ways.
 *
 * Towards the child: psql commits its single transaction when its input
 * ends, so the input is ended only after everything upstream succeeded and
 * the script is whole. On any upstream failure the child is killed first
 * (the server then rolls back) and its stdin never sees an orderly end.
 *
 * From the child: a program may stop reading at any moment (psql at the
 * first error with ON_ERROR_STOP, pg_restore with --exit-on-error, a kill).
 * Its pipe then never drains; the write waiting for room is released with
 * the pipe's error (EPIPE) or its close, so the pipeline fails instead of
 * waiting for ever.
 */
import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';

export interface ChildStdin {
  stream: Writable;
  /** Why the running child was killed from this side (an upstream failure, an incomplete script); undefined when it was not. */
  killedFor(): Error | undefined;
}

export function childStdin(child: ChildProcess, incomplete: () => string | undefined): ChildStdin {
  const stdin = child.stdin;
  if (!stdin) throw new Error('the restore program has no stdin pipe');
  const running = () => child.exitCode === null && child.signalCode === null;
  let gone: Error | undefined;
  let killedFor: Error | undefined;
  let waiting: ((error?: Error) => void) | undefined;
  const release = (error?: Error) => {
    const done = waiting;
    waiting = undefined;
    done?.(error);
  };
  const closed = (error: Error) => {
    gone ??= error;
    release(gone);
  };
  stdin.on('drain', () => release());
  stdin.on('error', closed);
  stdin.on('close', () => closed(Object.assign(new Error('the program closed its input before reading all of it'), { code: 'EPIPE' })));
  const kill = (why: Error) => {
    // The pipe's own failure, or a child that has ended (the pipeline is then stopped for that reason):
    // nothing to kill, nothing to blame upstream.
    if (why === gone || !running()) return;
    killedFor ??= why;
    child.kill('SIGKILL');
  };
  const stream = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, done) {
      if (gone) return done(gone);
      if (stdin.write(chunk)) return done();
      waiting = done;
    },
    final(done) {
      const problem = incomplete();
      if (problem) {
        const error = new Error(problem);
        kill(error);
        return done(error);
      }
      if (gone) return done(gone);
      stdin.end(() => done());
    },
    destroy(error, done) {
      if (error) kill(error);
      done(error);
    },
  });
  return { stream, killedFor: () => killedFor };
}
