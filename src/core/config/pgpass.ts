/**
 * libpq's password file (`~/.pgpass`, or `PGPASSFILE`): `host:port:db:user:password`,
 * `*` matches anything, `\:` and `\\` are escapes, the first matching line wins,
 * and a file readable by group or others is ignored (as libpq does).
 */

export interface PgpassMatch {
  password: string;
  path: string;
  line: number;
}

export interface PgpassTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

export function splitPgpassLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
    } else if (ch === ':') {
      fields.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  fields.push(current);
  return fields;
}

/** libpq treats a unix-socket host as "localhost" when matching .pgpass lines. */
function pgpassHost(host: string): string {
  return host.startsWith('/') ? 'localhost' : host;
}

export function findPgpassEntry(text: string, path: string, target: PgpassTarget): PgpassMatch | undefined {
  const lines = text.split(/\r?\n/);
  const wanted = [pgpassHost(target.host), String(target.port), target.database, target.user];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const fields = splitPgpassLine(raw);
    if (fields.length < 5) continue;
    const password = fields.slice(4).join(':');
    const matches = wanted.every((want, k) => fields[k] === '*' || fields[k] === want);
    if (matches) return { password, path, line: i + 1 };
  }
  return undefined;
}
