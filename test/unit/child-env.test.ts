/**
 * No child process gets a variable that may hold a password: the list and
 * the rule, the PostgreSQL programs' environment built from it, a real
 * child's /proc/PID/environ, and every place in src that can start a
 * process going through it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSecretVariable, SECRET_VARIABLES, withoutSecrets } from '../../src/core/system/child-env.js';
import { pgToolEnv } from '../../src/core/system/pg-tool-env.js';
import { systemRunner } from '../../src/core/devdb/runner.js';
import { startTool } from '../../src/core/backups/tool-process.js';

const SECRETS = {
  DATABASE__PASSWORD: 'LeakPW1',
  DATABASE__URL: 'postgresql://u:LeakPW2@h/db',
  PGPASSWORD: 'LeakPW3',
  CONNECTOR_DB_ADMIN_URL: 'postgresql://postgres:LeakPW4@h/postgres',
  REPLICA_DB_PASSWORD: 'LeakPW5',
};

describe('the secret variables', () => {
  it('are every variable connector-db reads a password from, and any *PASSWORD', () => {
    expect([...SECRET_VARIABLES].sort()).toEqual(['CONNECTOR_DB_ADMIN_URL', 'DATABASE__PASSWORD', 'DATABASE__URL', 'PGPASSWORD']);
    expect(isSecretVariable('REPLICA_DB_PASSWORD')).toBe(true);
    expect(isSecretVariable('PGPASSFILE')).toBe(false);
    expect(withoutSecrets({ PATH: '/bin', HOME: '/root', ...SECRETS })).toEqual({ PATH: '/bin', HOME: '/root' });
  });

  it("pgToolEnv (pg_dump, psql, pg_restore) keeps none of them; the password goes by passfile", async () => {
    const child = await pgToolEnv({ host: 'h', port: 5432, user: 'u', password: 'pw', database: 'd' }, { base: { PATH: '/bin', ...SECRETS } });
    try {
      expect(JSON.stringify(child.env)).not.toMatch(/LeakPW/);
      expect(child.env.PGPASSFILE).toBeDefined();
    } finally {
      await child.cleanup();
    }
  });

  it('a real child (the devdb runner; a PostgreSQL program) has none in /proc/PID/environ', async () => {
    const env = { ...process.env, ...SECRETS } as Record<string, string>;
    const seen = await systemRunner(env)('sh', ['-c', 'cat /proc/$$/environ']);
    expect(seen.code).toBe(0);
    expect(seen.stdout).toContain('PATH=');
    expect(seen.stdout).not.toMatch(/LeakPW/);
    let environ = '';
    const tool = startTool('sh', ['-c', 'cat /proc/$$/environ >&2'], { env: env as NodeJS.ProcessEnv, stdin: 'ignore', onStderrLine: (l) => (environ += l) });
    expect((await tool.exited).code).toBe(0);
    expect(environ).toContain('PATH=');
    expect(environ).not.toMatch(/LeakPW/);
  });

  it('every file in src that can start a process builds the child environment with withoutSecrets', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(name)) files.push(full);
      }
    };
    walk(path.resolve(import.meta.dirname, '../../src'));
    const spawning = files.filter((f) => /^import (?!type )[^;]*from 'node:child_process'/m.test(readFileSync(f, 'utf8')));
    expect(spawning.length).toBeGreaterThanOrEqual(4);
    for (const f of spawning) expect(readFileSync(f, 'utf8'), path.relative(process.cwd(), f)).toMatch(/withoutSecrets\(/);
  });
});
