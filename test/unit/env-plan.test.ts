import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/core/config/dotenv.js';
import { envDiffLines, formatEnvValue, planEnvFile } from '../../src/core/setup/env-plan.js';
import { writeEnvFile } from '../../src/core/setup/env-write.js';

const WANT = [
  { key: 'DATABASE__HOST', value: 'localhost' },
  { key: 'DATABASE__PORT', value: '5433' },
  { key: 'DATABASE__PASSWORD', value: 's3cr3t pw', secret: true },
];

describe('planEnvFile', () => {
  it('adds to a missing file, masking the password in what is shown', () => {
    const plan = planEnvFile('/p/.env', undefined, WANT);
    expect(plan.exists).toBe(false);
    expect(plan.text).toBe("DATABASE__HOST=localhost\nDATABASE__PORT=5433\nDATABASE__PASSWORD='s3cr3t pw'\n");
    expect(envDiffLines(plan)).toEqual(['+ DATABASE__HOST=localhost', '+ DATABASE__PORT=5433', '+ DATABASE__PASSWORD=****']);
  });

  it('changes lines in place, keeps comments, other lines, export prefixes and unchanged keys', () => {
    const current = "# the app\nLOGGING__LEVEL=info\nexport DATABASE__PORT=5432  # compose\n\nDATABASE__HOST=localhost\nDATABASE__PASSWORD=old\n# end\n";
    const plan = planEnvFile('/p/.env', current, WANT);
    expect(plan.unchanged).toEqual(['DATABASE__HOST']);
    expect(plan.text).toBe("# the app\nLOGGING__LEVEL=info\nexport DATABASE__PORT=5433\n\nDATABASE__HOST=localhost\nDATABASE__PASSWORD='s3cr3t pw'\n# end\n");
    expect(envDiffLines(plan)).toEqual(['- export DATABASE__PORT=5432  # compose   (line 3)', '+ export DATABASE__PORT=5433', '- DATABASE__PASSWORD=****   (line 6)', '+ DATABASE__PASSWORD=****']);
  });

  it('changes the last assignment of a key set twice (the one that takes effect) and a multi-line quoted value whole', () => {
    const current = 'DATABASE__PORT=1\nDATABASE__PASSWORD="a\nb"\nDATABASE__PORT=2\n';
    const plan = planEnvFile('/p/.env', current, WANT);
    expect(plan.text).toBe("DATABASE__PORT=1\nDATABASE__PASSWORD='s3cr3t pw'\nDATABASE__PORT=5433\nDATABASE__HOST=localhost\n");
  });

  it('keeps CRLF files CRLF', () => {
    const plan = planEnvFile('/p/.env', 'A=1\r\nDATABASE__PORT=1\r\n', [{ key: 'DATABASE__PORT', value: '2' }]);
    expect(plan.text).toBe('A=1\r\nDATABASE__PORT=2\r\n');
  });

  it.each([
    ['plain_name'],
    ['a"b'],
    ['x; DROP TABLE y'],
    ['ünï cödé'],
    ["it's $HOME and \\n"],
    ['line1\nline2'],
    ['#hash'],
    [''],
  ])('%j is written so that it reads back exactly', (value) => {
    const plan = planEnvFile('/p/.env', '# keep\n', [{ key: 'DATABASE__USER', value }]);
    expect(parseDotenv(plan.text, '/p/.env').entries.get('DATABASE__USER')?.value).toBe(value);
    if (value !== '') expect(formatEnvValue(value).startsWith('#')).toBe(false);
  });
});

describe('envDiffLines never shows a password, old line or new', () => {
  const wantedUrl = { key: 'DATABASE__URL', value: 'postgresql://${DATABASE__USER}:${DATABASE__PASSWORD}@${DATABASE__HOST}:${DATABASE__PORT}/${DATABASE__NAME}', verbatim: true };
  it.each([
    ['DATABASE__URL=postgresql://rv_user:OLDSECRET@127.0.0.1:5432/rv\n', '- DATABASE__URL=postgresql://rv_user:****@127.0.0.1:5432/rv   (line 1)'],
    ["export DATABASE__URL='postgresql+asyncpg://rv_user:OLD%40SECRET@db/rv'  # prod\n", "- export DATABASE__URL='postgresql+asyncpg://rv_user:****@db/rv'  # prod   (line 1)"],
    ['DATABASE__URL=postgresql://db/rv?sslmode=require&password=OLDSECRET\n', '- DATABASE__URL=postgresql://db/rv?sslmode=require&password=****   (line 1)'],
    ['DATABASE__URL="postgresql://rv_user:OLD SECRET@db/rv"\n', '- DATABASE__URL="postgresql://rv_user:****@db/rv"   (line 1)'],
  ])('%j', (current, minus) => {
    const plan = planEnvFile('/p/.env', current, [wantedUrl, { key: 'DATABASE__PASSWORD', value: 'NEWSECRET', secret: true }]);
    const lines = envDiffLines(plan);
    expect(lines[0]).toBe(minus);
    expect(lines.join('\n')).not.toMatch(/OLD|SECRET/);
  });

  it('a password key is hidden even when the caller forgot to say it is secret; a new URL line is masked too', () => {
    const plan = planEnvFile('/p/.env', 'export PGPASSWORD=OLDSECRET\n', [
      { key: 'PGPASSWORD', value: 'NEWSECRET' },
      { key: 'DATABASE__URL', value: 'postgresql://u:NEWSECRET@h/db?password=NEWSECRET' },
    ]);
    expect(envDiffLines(plan)).toEqual(['- export PGPASSWORD=****   (line 1)', '+ export PGPASSWORD=****', "+ DATABASE__URL='postgresql://u:****@h/db?password=****'"]);
  });
});

describe('writeEnvFile', () => {
  it('writes mode 0600 through a temp file, replaces an existing file and leaves no temp behind', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-env-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, 'OLD=1\n', { mode: 0o644 });
    await writeEnvFile(file, 'NEW=2\n');
    expect(readFileSync(file, 'utf8')).toBe('NEW=2\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['.env']);
  });

  it('writes through a symlinked .env to its target', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-env-'));
    writeFileSync(path.join(dir, 'real.env'), 'A=1\n');
    symlinkSync('real.env', path.join(dir, '.env'));
    await writeEnvFile(path.join(dir, '.env'), 'A=2\n');
    expect(readFileSync(path.join(dir, 'real.env'), 'utf8')).toBe('A=2\n');
  });
});

describe('envIntent', () => {
  it('names values the environment sets, which would win over the .env being written', async () => {
    const { envIntent } = await import('../../src/core/setup/setup-plan.js');
    const { resolveSettings } = await import('../../src/core/config/resolve.js');
    const settings = resolveSettings({ env: { DATABASE__HOST: 'old-host', PGPORT: '6000' }, cwd: os.tmpdir(), homeDir: os.tmpdir(), shippedMigrationsDir: '/x' });
    const intent = envIntent(settings, { host: 'new-host', port: 5433, database: 'd', user: 'u', password: 'p' }, undefined);
    expect(intent.notes).toEqual([
      'DATABASE__HOST is also set in the environment (DATABASE__HOST), which wins over .env: unset it there, or set it to the new value too.',
      'DATABASE__PORT is also set in the environment (PGPORT), which wins over .env: unset it there, or set it to the new value too.',
    ]);
    expect(intent.changes.map((c) => c.key)).toEqual(['DATABASE__HOST', 'DATABASE__PORT', 'DATABASE__NAME', 'DATABASE__USER', 'DATABASE__PASSWORD']);
  });

  it('rewrites a literal DATABASE__URL to placeholders, keeping its driver and options but not what names the target (an old password would win over the new one)', async () => {
    const { envIntent } = await import('../../src/core/setup/setup-plan.js');
    const { resolveSettings } = await import('../../src/core/config/resolve.js');
    const settings = resolveSettings({ env: {}, cwd: os.tmpdir(), homeDir: os.tmpdir(), shippedMigrationsDir: '/x' });
    const intent = envIntent(settings, { host: 'h', port: 5432, database: 'd', user: 'u', password: 'p' }, 'postgresql+asyncpg://old@oldhost/old?sslmode=require&password=OLDSECRET&user=old&prepared_statement_cache_size=0');
    expect(intent.changes.find((c) => c.key === 'DATABASE__URL')?.value).toBe('postgresql+asyncpg://${DATABASE__USER}:${DATABASE__PASSWORD}@${DATABASE__HOST}:${DATABASE__PORT}/${DATABASE__NAME}?sslmode=require&prepared_statement_cache_size=0');
  });
});

describe('envDiffLines keeps what is no secret', () => {
  it('a password equal to the user name is masked where it is the password only; ${...} placeholders are shown', () => {
    const plan = planEnvFile('/p/.env', 'DATABASE__URL=postgresql://old:old@oldhost:1/old\n', [
      { key: 'DATABASE__URL', value: 'postgresql://${DATABASE__USER}:${DATABASE__PASSWORD}@h/db?password=${DATABASE__PASSWORD}', verbatim: true },
    ]);
    expect(envDiffLines(plan)).toEqual(['- DATABASE__URL=postgresql://old:****@oldhost:1/old   (line 1)', '+ DATABASE__URL=postgresql://${DATABASE__USER}:${DATABASE__PASSWORD}@h/db?password=${DATABASE__PASSWORD}']);
  });
});
