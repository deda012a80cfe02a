/** Loading a migrations folder: the runner's order, bad names refused, numbering and lock key as node-pg-migrate has them. */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareMigrationFileNames as theirs } from 'node-pg-migrate/utils/comparators';
import { PG_MIGRATE_LOCK_ID } from 'node-pg-migrate';
import { compareMigrationFileNames, loadMigrationFiles, nextNumber } from '../../src/core/migrations/files.js';
import { MIGRATION_LOCK_KEY } from '../../src/core/migrations/lock.js';
import { failure } from '../harness/failure.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-mig-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('migration files', () => {
  it('sorts exactly as node-pg-migrate does', () => {
    const names = ['010_b.sql', '2_a.sql', '001_z.sql', '0100_x.sql', '003_add-x.sql', '003_add_y.sql', '10_a.sql', '0002_c.sql'];
    const ours = [...names].sort(compareMigrationFileNames);
    const runner = [...names].sort((a, b) => theirs(a, b));
    expect(ours).toEqual(runner);
  });

  it('loads *.sql in order with id, name, slug, sha256 and sections; ignores dotfiles and other files', async () => {
    const dir = folder({ '002_second.sql': '-- Up Migration\nselect 2;\n', '001_first.sql': '-- Up Migration\nselect 1;\n-- Down Migration\n', 'README.md': 'x', '.hidden.sql': 'x' });
    const files = await loadMigrationFiles(dir);
    expect(files.map((f) => [f.id, f.name, f.slug])).toEqual([
      ['001', '001_first', 'first'],
      ['002', '002_second', 'second'],
    ]);
    expect(files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(files[0]?.sections.down).not.toBeNull();
    expect(files[1]?.sections.down).toBeNull();
  });

  it('reads every byte of each file, small or larger than the read buffer (64 KiB), and 120 files in order', async () => {
    const big = `-- Up Migration\n${'INSERT INTO t VALUES (1); -- padding\n'.repeat(4000)}-- Down Migration\nDELETE FROM t;\n`;
    const exact = `-- Up Migration\n${'x'.repeat(64 * 1024 - 17)}\n`;
    const many: Record<string, string> = { '001_big.sql': big, '002_exact.sql': exact };
    for (let i = 3; i <= 120; i++) many[`${String(i).padStart(3, '0')}_n.sql`] = `-- Up Migration\nselect ${i};\n`;
    const files = await loadMigrationFiles(folder(many));
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect(Buffer.byteLength(exact)).toBe(64 * 1024);
    expect(files[0]?.content).toBe(big);
    expect(files[0]?.sha256).toBe(sha(big));
    expect(files[0]?.sections.down?.text).toBe('-- Down Migration\nDELETE FROM t;\n');
    expect(files[1]?.sha256).toBe(sha(exact));
    expect(files.map((f) => f.id)).toEqual(Object.keys(many).map((n) => n.slice(0, 3)));
    expect(files[119]?.content).toBe('-- Up Migration\nselect 120;\n');
    expect(files[119]?.sha256).toBe(sha('-- Up Migration\nselect 120;\n'));
  });

  it('refuses a .sql file without a number, naming it', async () => {
    const dir = folder({ '001_ok.sql': '', 'fix_things.sql': '' });
    await expect(loadMigrationFiles(dir)).rejects.toThrow(/fix_things\.sql: a migration file name must start with its number/);
  });

  it('refuses two files with the same number', async () => {
    const dir = folder({ '001_a.sql': '', '1_b.sql': '' });
    const error = await failure(loadMigrationFiles(dir));
    expect(error.code).toBe('migration_files_invalid');
    expect(error.message).toMatch(/same revision number/);
  });

  it('a missing folder is one clear line', async () => {
    await expect(loadMigrationFiles('/no/such/folder')).rejects.toThrow(/The migrations folder \/no\/such\/folder cannot be read \(ENOENT\)/);
  });

  it('numbers the next file after the highest, padded like the others', () => {
    expect(nextNumber([])).toBe('001');
    expect(nextNumber([{ id: '001', seq: 1 }, { id: '003', seq: 3 }])).toBe('004');
    expect(nextNumber([{ id: '0009', seq: 9 }])).toBe('0010');
  });

  it('uses node-pg-migrate lock key', () => {
    expect(MIGRATION_LOCK_KEY).toBe(PG_MIGRATE_LOCK_ID);
  });
});
