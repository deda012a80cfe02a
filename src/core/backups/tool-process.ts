/**
 * One PostgreSQL client program as a child process: its stderr read line
 * by line, its end as a value (exit code or signal), and a kill that the
 * caller's AbortSignal triggers. Spawning is a parameter so the core can be
 * driven with any process runner.
 */
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import readline from 'node:readline';
import { withoutSecrets } from '../system/child-env.js';

export type SpawnFn = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

export interface ToolExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: Error;
}

export interface ToolProcess {
  child: ChildProcess;
  /** Resolves when the process has ended and its stdio is closed. */
  exited: Promise<ToolExit>;
  /** Ask the program to stop (SIGTERM), then force it (SIGKILL) if it lingers. */
  stop(): void;
}

export function startTool(
  program: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; stdin: 'pipe' | 'ignore'; onStderrLine: (line: string) => void; spawn?: SpawnFn; signal?: AbortSignal },
): ToolProcess {
  const spawn = options.spawn ?? nodeSpawn;
  // The caller's env comes from pgToolEnv (a passfile, no secret variables); stripped again here so no caller can forget.
  const child = spawn(program, args, { env: withoutSecrets(options.env), stdio: [options.stdin, 'pipe', 'pipe'] });
  let spawnError: Error | undefined;
  const exited = new Promise<ToolExit>((resolve) => {
    child.once('error', (error) => {
      spawnError = error;
      // 'close' may not follow a failed spawn on every platform.
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: error });
    });
    child.once('close', (code, signal) => resolve({ code, signal, ...(spawnError ? { spawnError } : {}) }));
  });
  if (child.stderr) {
    child.stderr.setEncoding('utf8');
    readline.createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', options.onStderrLine);
  }
  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    killTimer ??= setTimeout(() => child.kill('SIGKILL'), 3000);
    killTimer.unref();
  };
  void exited.then(() => clearTimeout(killTimer));
  if (options.signal) {
    if (options.signal.aborted) stop();
    else options.signal.addEventListener('abort', stop, { once: true });
    void exited.then(() => options.signal?.removeEventListener('abort', stop));
  }
  return { child, exited, stop };
}

/** "exited with code 1" / "was killed by SIGKILL" / "could not start: ENOENT". */
export function describeExit(program: string, exit: ToolExit): string {
  if (exit.spawnError) return `${program} could not start: ${exit.spawnError.message}`;
  if (exit.signal) return `${program} was killed by ${exit.signal}`;
  return `${program} exited with code ${exit.code}`;
}
