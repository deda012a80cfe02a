/**
 * psql's backslash commands as the console understands them: which command,
 * whether `+` asks for more, and the name pattern. Patterns follow psql:
 * `*` and `?` are wildcards, unquoted names fold to lower case, "quoted"
 * names keep their case, and `schema.name` restricts the schema.
 */

export type MetaName = 'd' | 'dt' | 'di' | 'dv' | 'dn' | 'l' | 'du' | 'x' | 'timing' | '?' | 'q';

export interface MetaCommand {
  name: MetaName;
  plus: boolean;
  /** The first argument (a pattern for the catalog commands, on/off for toggles). */
  arg: string | undefined;
}

const NAMES: MetaName[] = ['dt', 'di', 'dv', 'dn', 'du', 'dg', 'l', 'list', 'd', 'x', 'timing', '?', 'q', 'quit'] as MetaName[];

export type MetaParse = { ok: true; command: MetaCommand } | { ok: false; message: string };

export function parseMeta(line: string): MetaParse {
  const m = /^\\([A-Za-z?]+)(\+?)(?:\s+(.*))?$/.exec(line.trim());
  if (!m) return { ok: false, message: `invalid command ${line.trim()}; try \\? for help` };
  let name = m[1] as string;
  if (name === 'dg') name = 'du';
  if (name === 'list') name = 'l';
  if (name === 'quit') name = 'q';
  if (!NAMES.includes(name as MetaName)) return { ok: false, message: `invalid command \\${m[1]}; try \\? for help` };
  const arg = m[3]?.trim().replace(/;+$/, '').trim();
  return { ok: true, command: { name: name as MetaName, plus: m[2] === '+', arg: arg ? arg : undefined } };
}

export interface NamePattern {
  schema?: string;
  name?: string;
}

/** A psql pattern as anchored POSIX regexes for schema and name. */
export function patternToRegex(pattern: string | undefined): NamePattern {
  if (!pattern) return {};
  const parts: string[] = [''];
  let inQuotes = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '"') {
      if (inQuotes && pattern[i + 1] === '"') {
        parts[parts.length - 1] += '"';
        i++;
      } else inQuotes = !inQuotes;
    } else if (!inQuotes && c === '.') {
      parts.push('');
    } else if (!inQuotes && c === '*') {
      parts[parts.length - 1] += '.*';
    } else if (!inQuotes && c === '?') {
      parts[parts.length - 1] += '.';
    } else {
      const ch = inQuotes ? c : c.toLowerCase();
      parts[parts.length - 1] += /[\\^$.|()[\]{}+*?]/.test(ch) ? `\\${ch}` : ch;
    }
  }
  const anchor = (s: string) => `^(${s})$`;
  const name = parts[parts.length - 1] as string;
  if (parts.length >= 2) return { schema: anchor(parts[parts.length - 2] as string), ...(name ? { name: anchor(name) } : {}) };
  return { name: anchor(name) };
}

/** WHERE conditions (and parameters) for a relation listing, the way psql restricts it. */
export function relationFilter(pattern: NamePattern, nameColumn: string, schemaColumn: string, visibleExpr: string, params: unknown[]): string[] {
  const conds: string[] = [];
  if (pattern.schema) {
    params.push(pattern.schema);
    conds.push(`${schemaColumn} OPERATOR(pg_catalog.~) $${params.length} COLLATE pg_catalog.default`);
  } else {
    // Without a schema: what the search path shows; without any pattern, never the system schemas (as psql).
    if (!pattern.name) conds.push(`${schemaColumn} <> 'pg_catalog'`, `${schemaColumn} !~ '^pg_toast'`, `${schemaColumn} <> 'information_schema'`);
    conds.push(visibleExpr);
  }
  if (pattern.name) {
    params.push(pattern.name);
    conds.push(`${nameColumn} OPERATOR(pg_catalog.~) $${params.length} COLLATE pg_catalog.default`);
  }
  return conds;
}

export const HELP_LINES = [
  'Statements end with ; (Enter on an unfinished statement adds a line).',
  '',
  '\\d [NAME]      describe a table, view, index or sequence (no NAME: list relations)',
  '\\dt[+] [PAT]   list tables          \\di[+] [PAT]  list indexes',
  '\\dv[+] [PAT]   list views           \\dn [PAT]     list schemas',
  '\\l             list databases       \\du [PAT]     list roles',
  '\\x [on|off]    expanded rows (one field per line)',
  '\\timing [on|off] show how long each statement took',
  '\\?             this help            \\q            leave the console',
  '',
  'PAT: * and ? are wildcards; schema.name restricts the schema.',
];
