import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './run-cli.js';

describe('connector-db profile', () => {
  it('saves the target without the password, keeps the password in ~/.pgpass (0600), and the profile then supplies the settings', () => {
    const env = cleanEnv();
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-prof-'));
    const save = runCli(['profile', 'save', 'prod', '--save-password'], { cwd, env: { ...env, DATABASE__URL: 'postgresql://bob:s3cr%3At@db.x:6432/app', DATABASE__POOL_SIZE: '4' } });
    expect(save.code).toBe(0);
    expect(save.stdout).toContain('Saved profile "prod"');
    const stored = readFileSync(path.join(env.CONNECTOR_DB_CONFIG_DIR as string, 'config.json'), 'utf8');
    expect(stored).not.toContain('s3cr');
    expect(JSON.parse(stored)).toMatchObject({ activeProfile: 'prod', profiles: { prod: { DATABASE__HOST: 'db.x', DATABASE__PORT: '6432', DATABASE__NAME: 'app', DATABASE__USER: 'bob', DATABASE__POOL_SIZE: '4' } } });
    expect(statSync(path.join(env.CONNECTOR_DB_CONFIG_DIR as string, 'config.json')).mode & 0o777).toBe(0o600);
    const pgpass = path.join(env.HOME as string, '.pgpass');
    expect(readFileSync(pgpass, 'utf8')).toBe('db.x:6432:app:bob:s3cr\\:t\n');
    expect(statSync(pgpass).mode & 0o777).toBe(0o600);

    const config = JSON.parse(runCli(['config', '--json'], { cwd, env }).stdout);
    expect(config.target).toMatchObject({ host: 'db.x', port: 6432, user: 'bob', passwordSet: true });
    const sources = Object.fromEntries(config.settings.map((s: { key: string; source: { label: string } }) => [s.key, s.source.label]));
    expect(sources.DATABASE__HOST).toBe('profile prod');
    expect(sources.DATABASE__PASSWORD).toBe('~/.pgpass line 1');
  });

  it('validates names and values, and refuses secrets', () => {
    const env = cleanEnv();
    expect(runCli(['profile', 'save', 'a.b'], { env }).stderr).toContain('profile name "a.b" is not allowed');
    runCli(['profile', 'save', 'p1'], { env });
    const bad = runCli(['profile', 'set', 'p1', 'DATABASE__PORT=99999'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('DATABASE__PORT="99999" is invalid; allowed: an integer from 1 to 65535');
    const secret = runCli(['profile', 'set', 'p1', 'DATABASE__PASSWORD=x'], { env });
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('never kept in a profile');
    expect(runCli(['profile', 'use', 'nope'], { env }).stderr).toContain('profile "nope" does not exist; allowed: p1');
    // Names a plain object already answers to: conf would drop the first two without a word; --profile must not find the others.
    for (const name of ['constructor', 'prototype', 'toString']) {
      const reserved = runCli(['profile', 'save', name], { env });
      expect(reserved.code).toBe(2);
      expect(reserved.stderr.trim()).toBe(`connector-db: usage: profile name "${name}" is reserved; choose another name (letters, digits, _ and -)`);
      expect(runCli(['profile', 'set', name, 'DATABASE__PORT=5433'], { env }).code).toBe(2);
    }
    expect(runCli(['profile', 'use', 'hasOwnProperty'], { env }).stderr).toContain('profile "hasOwnProperty" does not exist; allowed: p1');
    const inherited = runCli(['--profile', 'hasOwnProperty', 'config'], { env });
    expect(inherited.code).toBe(2);
    expect(inherited.stderr).toContain('profile "hasOwnProperty" (from flag --profile) does not exist');
    expect(runCli(['profile', 'set', 'p1', 'DATABASE__ECHO=true'], { env }).code).toBe(0);
    expect(runCli(['profile', 'delete', 'p1'], { env }).code).toBe(0);
    expect(runCli(['profile', 'list'], { env }).stdout).toContain('No saved profiles');
  });

  it('a bad value in the active profile does not block the commands that fix it', () => {
    const env = cleanEnv();
    expect(runCli(['profile', 'save', 'p', '--activate'], { env }).code).toBe(0);
    expect(runCli(['profile', 'save', 'q'], { env }).code).toBe(0);
    const file = JSON.parse(runCli(['profile', 'list', '--json'], { env }).stdout).file as string;
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    saved.profiles.p.DATABASE__PORT = 'abc';
    writeFileSync(file, JSON.stringify(saved));
    expect(runCli(['config'], { env }).code).toBe(2);
    expect(runCli(['profile', 'list'], { env }).code).toBe(0);
    expect(runCli(['profile', 'set', 'p', 'DATABASE__PORT=5432'], { env }).code).toBe(0);
    expect(runCli(['config'], { env }).code).toBe(0);
    saved.profiles.p.DATABASE__PORT = 'abc';
    writeFileSync(file, JSON.stringify(saved));
    expect(runCli(['profile', 'use', 'q'], { env }).code).toBe(0);
    expect(runCli(['profile', 'delete', 'p'], { env }).code).toBe(0);
    expect(runCli(['config'], { env }).code).toBe(0);
  });
});
