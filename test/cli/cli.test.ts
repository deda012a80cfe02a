import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './run-cli.js';

function projectWithEnv(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-proj-'));
  writeFileSync(path.join(dir, '.env'), text);
  return dir;
}

describe('connector-db (built binary)', () => {
  it('config --json: URL built from parts, password masked, every source named', () => {
    const cwd = projectWithEnv("DATABASE__URL=postgresql+asyncpg://u:${DATABASE__PASSWORD}@h:5433/x\nDATABASE__PASSWORD='p@ss:w/rd'\n");
    const r = runCli(['config', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('p@ss');
    expect(r.stdout).not.toContain('p%40ss');
    const doc = JSON.parse(r.stdout);
    expect(doc.url).toBe('postgresql://u:****@h:5433/x');
    expect(doc.target).toMatchObject({ host: 'h', port: 5433, database: 'x', user: 'u', passwordSet: true, driver: 'asyncpg' });
    const sources = Object.fromEntries(doc.settings.map((s: { key: string; source: { label: string } }) => [s.key, s.source.label]));
    expect(sources).toMatchObject({
      DATABASE__URL: '.env line 1',
      DATABASE__PASSWORD: '.env line 2',
      DATABASE__HOST: 'DATABASE__URL (.env line 1)',
      DATABASE__PORT: 'DATABASE__URL (.env line 1)',
      DATABASE__POOL_SIZE: 'default',
    });
  });

  it('config (text) prints a table with sources and no password', () => {
    const cwd = projectWithEnv('DATABASE__PASSWORD=hunter2\nDATABASE__POOL_SIZE=4\n');
    const r = runCli(['config'], { cwd, env: cleanEnv({ DATABASE__HOST: 'db.internal' }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Target\s+connector_user@db\.internal:5432\/connector_db/);
    expect(r.stdout).toMatch(/DATABASE__POOL_SIZE\s+4\s+\.env line 2/);
    expect(r.stdout).toMatch(/DATABASE__HOST\s+db\.internal\s+env/);
    expect(r.stdout).not.toContain('hunter2');
    expect(r.stdout).not.toMatch(/\u001B\[/); // no colour in a pipe
  });

  it('a bad value is one line naming the variable, source and what is allowed; exit 2, no stack', () => {
    const cwd = projectWithEnv('# settings\nDATABASE__POOL_SIZE=lots\n');
    const r = runCli(['config'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('connector-db: DATABASE__POOL_SIZE="lots" from .env line 2 is invalid; allowed: an integer >= 1');
  });

  it('--json failure is one JSON document with the code', () => {
    const r = runCli(['config', '--json'], { env: cleanEnv({ DATABASE__PORT: '0' }) });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'config_invalid' } });
    expect(doc.error.message).toContain('DATABASE__PORT="0" from env is invalid');
  });

  it('--url and --env-file are honoured, and a missing --env-file is a usage error', () => {
    const cwd = projectWithEnv('DATABASE__NAME=ignored\n');
    writeFileSync(path.join(cwd, 'other.env'), 'DATABASE__NAME=chosen\n');
    const a = JSON.parse(runCli(['config', '--json', '--env-file', 'other.env'], { cwd }).stdout);
    expect(a.target.database).toBe('chosen');
    const b = JSON.parse(runCli(['--url', 'postgres://flag@fh/fdb', 'config', '--json'], { cwd }).stdout);
    expect(b.target).toMatchObject({ user: 'flag', host: 'fh', database: 'fdb' });
    const c = runCli(['config', '--env-file', 'nope.env'], { cwd });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--env-file nope.env cannot be read (ENOENT)');
  });

  it('--version, --help, and help for every command', () => {
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: connector-db');
    const names = [...help.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((n) => n !== 'help');
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const r = runCli([name as string, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toContain(`Usage: connector-db ${name}`);
    }
  });

  it('an unknown command or option is exit 2 with one line', () => {
    const a = runCli(['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stderr.trim()).toBe("connector-db: unknown command 'frobnicate'; allowed: config, doctor, setup, devdb, migrate, query, backup, restore, reset, profile, monitor");
    // A typo, also under a command that acts on its own (backup takes a backup): named, with what was meant.
    expect(runCli(['bakcup']).stderr.trim()).toMatch(/^connector-db: unknown command 'bakcup' \(did you mean backup\?\); allowed: /);
    expect(runCli(['--url', 'postgresql://h/x', 'backup', 'lsit']).stderr.trim()).toBe("connector-db: unknown command 'lsit' for 'backup' (did you mean list?); allowed: prune, list");
    expect(runCli(['monitor', 'cancle', '5']).stderr.trim()).toContain("unknown command 'cancle' for 'monitor' (did you mean cancel?)");
    const json = runCli(['--json', 'bakcup']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.message).toContain("unknown command 'bakcup'");
    // SQL that starts with a comment is not an option: the line says how to pass it.
    const sql = runCli(['query', '-- report\nselect 1;']);
    expect(sql.code).toBe(2);
    expect(sql.stderr.trim()).toBe(`connector-db: "-- report\\nselect 1;" reads as an option; SQL that starts with a comment goes after --, e.g. connector-db query -- '-- report…', or on stdin`);
    const b = runCli(['config', '--bogus']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^connector-db: unknown option '--bogus'/);
  });

  it('--json without a command, or a group without its subcommand, is one JSON usage error and exit 2', () => {
    for (const args of [['--json'], ['migrate', '--json'], ['--json', 'migrate']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      // One document and nothing else: no help text on either stream.
      const doc = JSON.parse(r.stdout) as { ok: boolean; error: { code: string; message: string } };
      expect(doc.ok, args.join(' ')).toBe(false);
      expect(doc.error.code, args.join(' ')).toBe('usage');
      expect(r.stderr, args.join(' ')).toBe('');
    }
    expect(JSON.parse(runCli(['--json']).stdout).error.message).toMatch(/^--json needs a command: config, doctor, .*migrate/);
    expect(JSON.parse(runCli(['migrate', '--json']).stdout).error.message).toMatch(/^migrate needs a subcommand: current, history, check, upgrade, downgrade, stamp/);
  });

  it('a command group without its subcommand prints its help and exits 2 with one line saying so', () => {
    const r = runCli(['migrate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: connector-db migrate');
    const last = r.stderr.trimEnd().split('\n').at(-1);
    expect(last).toMatch(/^connector-db: migrate needs a subcommand: current, history, .* \(see the list above\)$/);
    // An unknown subcommand is still named as such, and --help is still a success.
    expect(runCli(['migrate', 'frob']).stderr).toMatch(/^connector-db: unknown command 'frob'/);
    expect(runCli(['migrate', '--help']).code).toBe(0);
  });

  it('without a TTY and no command, prints help (no cursor codes, no raw-mode crash)', () => {
    const r = runCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: connector-db');
    expect(r.stdout).not.toMatch(/\u001B/);
    expect(r.stderr).toContain('the screens did not open (stdin or stdout is not a terminal)');
  });
});

describe('start-up stays light', () => {
  it('what loads before any command runs (the entry and the chunks it imports statically) holds no zod, ink/react, pg or string-width', async () => {
    const { readFileSync } = await import('node:fs');
    const dist = path.resolve(import.meta.dirname, '../../dist');
    const seen = new Set<string>();
    const visit = (file: string): string => {
      if (seen.has(file)) return '';
      seen.add(file);
      const text = readFileSync(path.join(dist, file), 'utf8');
      // Static imports only: `import ... from "./x.js"` and `import "./x.js"`, not `import("./x.js")`.
      const deps = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"\.\/([^"]+)"|^import\s+"\.\/([^"]+)"/gm)].map((m) => path.join(path.dirname(file), (m[1] ?? m[2]) as string));
      return text + deps.map(visit).join('');
    };
    const loaded = visit('cli.js');
    expect(seen.size).toBeGreaterThan(1);
    expect(loaded).not.toMatch(/ZodError|\$ZodType/);
    expect(loaded).not.toMatch(/react-reconciler|yoga-layout|useInput/);
    expect(loaded).not.toMatch(/parseComplete|BackendMessage/);
    // string-width builds an Intl.Segmenter as it loads: ~20 ms on every command.
    expect(loaded).not.toMatch(/new Intl\.Segmenter/);
  });
});

describe('--url with a password', () => {
  it('still works, and warns on stderr that the process list shows it', () => {
    const r = runCli(['--url', 'postgres://flag:s3cret@fh/fdb', 'config', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).target).toMatchObject({ user: 'flag', passwordSet: true });
    expect(r.stdout).not.toContain('s3cret');
    expect(r.stderr.trim()).toBe('connector-db: warning: the password in --url is visible to every user of this machine in the process list (ps, /proc/PID/cmdline); put it in DATABASE__URL, .env or ~/.pgpass instead');
    expect(runCli(['--url', 'postgres://flag@fh/fdb', 'config', '--json']).stderr).toBe('');
  });
});
