/**
 * Follow a doctor's fix for real: split the copied command line the way a
 * shell would, take its SQL (`-c '...'`), and run that SQL with psql as the
 * test cluster's superuser. (The fix's `sudo -u postgres` prefix is how a
 * packaged server is reached; the test cluster lives on its own socket.)
 */
import { spawnSync } from 'node:child_process';
import type { ClusterInfo } from './cluster.js';

/** POSIX shell words of one command line (single quotes, double quotes, backslashes); stops at `#` comments, `&&`, `|`. */
export function shellWords(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  const push = () => {
    if (word !== undefined) (commands[commands.length - 1] as string[]).push(word);
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        text += line[j];
        j++;
      }
      word = (word ?? '') + text;
      i = j;
    } else if (ch === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else if (/\s/.test(ch)) {
      push();
    } else if (ch === '#' && word === undefined) {
      break;
    } else if (line.startsWith('&&', i) || ch === '|') {
      push();
      commands.push([]);
      if (ch === '&') i++;
    } else {
      word = (word ?? '') + ch;
    }
  }
  push();
  return commands.filter((c) => c.length > 0);
}

/** The SQL statements of a psql fix (every `-c` argument). */
export function sqlOfFix(fix: string): { sql: string[]; database?: string } {
  const sql: string[] = [];
  let database: string | undefined;
  for (const words of shellWords(fix)) {
    if (!words.includes('psql')) continue;
    for (let i = 0; i < words.length; i++) {
      if (words[i] === '-c') sql.push(words[i + 1] as string);
      if (words[i] === '-d') database = words[i + 1];
    }
  }
  return { sql, ...(database ? { database } : {}) };
}

/** Run a fix's SQL with the real psql as superuser over the cluster's socket. */
export function runFixSql(fix: string, cluster: ClusterInfo, fallbackDatabase: string): string {
  const { sql, database } = sqlOfFix(fix);
  if (sql.length === 0) throw new Error(`the fix has no SQL to run: ${fix}`);
  const args = ['-X', '-v', 'ON_ERROR_STOP=1', '-h', cluster.socketDir, '-p', String(cluster.port), '-U', cluster.user, '-d', database ?? fallbackDatabase];
  for (const s of sql) args.push('-c', s);
  const r = spawnSync('psql', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout;
}
