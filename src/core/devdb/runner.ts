/**
 * Run a program and collect its output. The server programs refuse root,
 * so as root they run as the `postgres` account (runuser), as Debian's own
 * tools do. No child gets a secret variable (system/child-env.ts).
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { withoutSecrets } from '../system/child-env.js';

export type Runner = (cmd: string, args: string[], options?: { asServerUser?: boolean }) => Promise<{ code: number; stdout: string; stderr: string }>;

const execFileAsync = promisify(execFile);

export function systemRunner(env: Record<string, string | undefined> = process.env): Runner {
  const root = process.getuid?.() === 0;
  return (cmd, args, options = {}) =>
    new Promise((resolve) => {
      const [command, argv] = root && options.asServerUser ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
      // The server's own log takes the server's output; pg_ctl must not hold our pipes open.
      // No secret variable: the server started through pg_ctl keeps this environment (/proc/PID/environ) for as long as it runs.
      const child = spawn(command, argv, { env: { ...withoutSecrets(env), LC_ALL: env.LC_ALL ?? 'C' } as NodeJS.ProcessEnv, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', (error) => resolve({ code: 127, stdout, stderr: stderr + error.message }));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
}

/** The `postgres` account's uid and gid when we run as root (else undefined: the server runs as us). */
export async function serverAccountIfRoot(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const env = withoutSecrets(process.env);
    const uid = Number((await execFileAsync('id', ['-u', 'postgres'], { env })).stdout.trim());
    const gid = Number((await execFileAsync('id', ['-g', 'postgres'], { env })).stdout.trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}
