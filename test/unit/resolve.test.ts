import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSettings, type ResolveInput } from '../../src/core/config/resolve.js';
import { ConfigError } from '../../src/core/errors.js';

function sandbox(files: { env?: string; pgpass?: { text: string; mode: number }; profile?: unknown; service?: string } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cdb-resolve-'));
  const cwd = path.join(root, 'project');
  const home = path.join(root, 'home');
  mkdirSync(cwd);
  mkdirSync(home);
  if (files.env !== undefined) writeFileSync(path.join(cwd, '.env'), files.env);
  if (files.pgpass) writeFileSync(path.join(home, '.pgpass'), files.pgpass.text, { mode: files.pgpass.mode });
  const configDir = path.join(root, 'config');
  if (files.profile !== undefined) {
    mkdirSync(configDir);
    writeFileSync(path.join(configDir, 'config.json'), JSON.stringify(files.profile));
  }
  if (files.service !== undefined) writeFileSync(path.join(home, '.pg_service.conf'), files.service);
  const input = (extra: Partial<ResolveInput> = {}, env: Record<string, string> = {}): ResolveInput => ({
    env: { CONNECTOR_DB_CONFIG_DIR: configDir, ...env },
    cwd,
    homeDir: home,
    shippedMigrationsDir: '/opt/connector-db/sql-migrations',
    ...extra,
  });
  return { cwd, home, input };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveSettings', () => {
  it('fills a URL placeholder from the parts, percent-encoding the password, and names each source', () => {
    const { input } = sandbox({ env: "DATABASE__URL=postgresql+asyncpg://u:${DATABASE__PASSWORD}@h:5433/x\nDATABASE__PASSWORD='p@ss:w/rd'\n" });
    const s = resolveSettings(input());
    expect(s.target).toMatchObject({ user: 'u', host: 'h', port: 5433, database: 'x', password: 'p@ss:w/rd', driver: 'asyncpg' });
    expect(s.maskedUrl).toBe('postgresql://u:****@h:5433/x');
    expect(s.targetSources.password?.label).toBe('.env line 2');
    expect(s.targetSources.host?.label).toBe('DATABASE__URL (.env line 1)');
    const byKey = Object.fromEntries(s.entries.map((e) => [e.key, e]));
    expect(byKey.DATABASE__PASSWORD?.display).toBe('****');
    expect(byKey.DATABASE__URL?.display).not.toContain('p@ss');
    expect(byKey.DATABASE__POOL_SIZE?.source.label).toBe('default');
  });

  it('builds the URL from the parts when it is a template of placeholders', () => {
    const { input } = sandbox({
      env: ['DATABASE__URL=postgresql://${DATABASE__USER}:${DATABASE__PASSWORD}@${DATABASE__HOST}:${DATABASE__PORT}/${DATABASE__NAME}', 'DATABASE__USER=app', 'DATABASE__PASSWORD=a b/c'].join('\n'),
    });
    const s = resolveSettings(input({}, { DATABASE__HOST: 'db', DATABASE__PORT: '6432' }));
    expect(s.target).toMatchObject({ user: 'app', password: 'a b/c', host: 'db', port: 6432, database: 'connector_db' });
    expect(s.targetSources.host?.label).toBe('env');
    expect(s.targetSources.user?.label).toBe('.env line 2');
    expect(s.targetSources.database?.label).toBe('default');
  });

  it('applies precedence: flag > env > .env > profile > libpq > default', () => {
    const { input } = sandbox({
      env: 'DATABASE__HOST=from-dotenv\nDATABASE__NAME=dotenv_db\n',
      profile: { activeProfile: 'default', profiles: { default: { DATABASE__HOST: 'from-profile', DATABASE__USER: 'profile_user', DATABASE__POOL_SIZE: 3 } } },
    });
    const s = resolveSettings(input({ flags: { BACKUP__DIR: { value: '/b', flag: '--dir' } } }, { DATABASE__HOST: 'from-env', PGDATABASE: 'libpq_db', PGUSER: 'libpq_user', PGPORT: '7777' }));
    expect(s.target.host).toBe('from-env');
    expect(s.target.database).toBe('dotenv_db');
    expect(s.target.user).toBe('profile_user');
    expect(s.target.port).toBe(7777);
    expect(s.targetSources.port?.label).toBe('PGPORT');
    expect(s.poolSize).toBe(3);
    expect(s.backupDir).toBe('/b');
    expect(s.entries.find((e) => e.key === 'BACKUP__DIR')?.source.label).toBe('flag --dir');
  });

  it('reports every invalid value on its own line with variable, source and what is allowed', () => {
    const { input } = sandbox({ env: 'A=1\nDATABASE__PORT=54x2\n', profile: { profiles: { default: { DATABASE__ECHO: 'maybe' } } } });
    const problems = problemsOf(() => resolveSettings(input({}, { DATABASE__POOL_SIZE: '0' })));
    expect(problems).toContain('DATABASE__PORT="54x2" from .env line 2 is invalid; allowed: an integer from 1 to 65535');
    expect(problems).toContain('DATABASE__POOL_SIZE="0" from env is invalid; allowed: an integer >= 1');
    expect(problems).toContain('DATABASE__ECHO="maybe" from profile default is invalid; allowed: true or false (also 1/0, yes/no, on/off)');
  });

  it('takes the password from ~/.pgpass (with its line) only when nothing else set one', () => {
    const { input } = sandbox({ pgpass: { text: '# comment\nother:5432:*:*:nope\nlocalhost:5432:connector_db:connector_user:pg\\:pass\n', mode: 0o600 } });
    const s = resolveSettings(input());
    expect(s.target.password).toBe('pg:pass');
    expect(s.targetSources.password?.label).toBe('~/.pgpass line 3');
    const withEnv = resolveSettings(input({}, { PGPASSWORD: 'envpw' }));
    expect(withEnv.target.password).toBe('envpw');
    expect(withEnv.targetSources.password?.label).toBe('PGPASSWORD');
  });

  it('ignores a .pgpass readable by others, and says why', () => {
    const { input } = sandbox({ pgpass: { text: '*:*:*:*:pw\n', mode: 0o644 } });
    const s = resolveSettings(input());
    expect(s.target.password).toBeUndefined();
    expect(s.notes.join('\n')).toMatch(/\.pgpass is ignored: it is readable by others \(mode 644\)/);
  });

  it('refuses a placeholder nothing sets, a bad URL, a password in a profile, a missing --env-file', () => {
    const a = sandbox({ env: 'DATABASE__URL=postgresql://${APP_DB_USER}@h/x\n' });
    expect(problemsOf(() => resolveSettings(a.input()))[0]).toMatch(/^DATABASE__URL from \.env line 1 has placeholder \$\{APP_DB_USER\} that nothing sets; allowed:/);
    const b = sandbox();
    expect(problemsOf(() => resolveSettings(b.input({}, { DATABASE__URL: 'mysql://root@h/x' })))[0]).toMatch(/^DATABASE__URL from env is not a database URL \(it must start with postgresql:\/\//);
    const c = sandbox({ profile: { profiles: { default: { DATABASE__PASSWORD: 'x' } } } });
    expect(problemsOf(() => resolveSettings(c.input()))[0]).toMatch(/passwords are never kept in profiles/);
    const d = sandbox();
    expect(problemsOf(() => resolveSettings(d.input({ envFile: 'missing.env' })))[0]).toBe('--env-file missing.env cannot be read (ENOENT); allowed: a readable .env file');
  });

  it('says when a part is overridden by the URL', () => {
    const { input } = sandbox();
    const s = resolveSettings(input({}, { DATABASE__URL: 'postgresql://u@urlhost/x', DATABASE__HOST: 'parthost' }));
    expect(s.target.host).toBe('urlhost');
    expect(s.notes).toContain('DATABASE__HOST from env is not used: DATABASE__URL sets the host.');
  });

  it('names the URL parameters it does not act on (never their values), and takes sslrootcert', () => {
    const { input } = sandbox();
    const s = resolveSettings(input({}, { DATABASE__URL: 'postgresql://u@h/x?sslmode=verify-full&sslrootcert=/etc/ca.pem&prepared_statement_cache_size=0&token=s3cret' }));
    expect(s.notes).toEqual([
      'DATABASE__URL parameter prepared_statement_cache_size is not used by connector-db.',
      'DATABASE__URL parameter token is not used by connector-db.',
    ]);
    expect(s.notes.join('\n')).not.toContain('s3cret');
    // sslrootcert is libpq's, and honoured: a relative path is read from the folder the tool runs in.
    expect(s.target.sslrootcert).toBe('/etc/ca.pem');
    const relative = sandbox();
    const r = resolveSettings(relative.input({}, { DATABASE__URL: 'postgresql://u@h/x?sslmode=verify-ca&sslrootcert=certs/ca.pem' }));
    expect(r.target.sslrootcert).toBe(path.join(relative.input().cwd, 'certs/ca.pem'));
  });

  it('reads a PGSERVICE entry below the PG* variables', () => {
    const { input } = sandbox({ service: '[other]\nhost=no\n[mine]\nhost=svc-host\nport=6000\ndbname=svc_db\n' });
    const s = resolveSettings(input({}, { PGSERVICE: 'mine' }));
    expect(s.target).toMatchObject({ host: 'svc-host', port: 6000, database: 'svc_db' });
    expect(s.targetSources.host?.label).toBe('~/.pg_service.conf [mine] line 4');
  });

  it('defaults MIGRATIONS__DIR to the shipped folder and resolves relative paths against the cwd', () => {
    const { input, cwd } = sandbox();
    expect(resolveSettings(input()).migrationsDir).toBe('/opt/connector-db/sql-migrations');
    expect(resolveSettings(input({}, { MIGRATIONS__DIR: 'db/migrations' })).migrationsDir).toBe(path.join(cwd, 'db/migrations'));
  });
});

describe('a mistyped URL never echoes a piece of it', () => {
  it('an invalid port read from the URL is named, not shown', () => {
    const { input } = sandbox();
    const problems = problemsOf(() => resolveSettings(input({}, { DATABASE__URL: 'postgresql://u:Zq/Wx?K/y@host:54x2/db' })));
    expect(problems.join('\n')).not.toMatch(/Zq|Wx|K\/y/);
    expect(problems).toContain('DATABASE__PORT=(part of the URL, not shown) from DATABASE__URL (env) is invalid; allowed: an integer from 1 to 65535');
  });
});
