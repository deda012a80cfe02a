import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHistory } from '../../src/core/query/history.js';

describe('console history (conf store)', () => {
  it('persists across opens in a 0600 file, skips repeats, masks password literals, keeps the newest entries', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-history-'));
    const first = await openHistory(dir, 3);
    first.add('select 1;');
    first.add('select 1;');
    first.add('ALTER ROLE app PASSWORD $pw$dollar-secret$pw$;');
    first.add("ALTER ROLE app PASSWORD 'hunter2';");
    first.add('  ');
    const file = path.join(dir, 'query-history.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
    expect(readFileSync(file, 'utf8')).not.toContain('dollar-secret');
    const second = await openHistory(dir, 3);
    expect(second.entries()).toEqual(['select 1;', "ALTER ROLE app PASSWORD '****';"]);
    second.add('select 2;');
    second.add('select 3;');
    expect((await openHistory(dir, 3)).entries()).toEqual(["ALTER ROLE app PASSWORD '****';", 'select 2;', 'select 3;']);
  });
});
