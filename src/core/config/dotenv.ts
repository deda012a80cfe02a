/**
 * A `.env` reader that remembers the line each value came from, so a bad
 * value can be reported as ".env line 7". Follows the dialect of
 * python-dotenv / docker compose: `KEY=value`, optional `export `, `#`
 * comments, single quotes literal, double quotes with \n \" \\ escapes,
 * unquoted values trimmed and cut at ` #`.
 */

export interface DotenvEntry {
  key: string;
  value: string;
  /** 1-based line number where the entry starts. */
  line: number;
  /** 1-based line number where it ends (a quoted value may span lines). */
  endLine?: number;
}

export interface DotenvFile {
  path: string;
  entries: Map<string, DotenvEntry>;
  /** Lines that are neither blank, comments nor assignments (reported, not fatal). */
  malformed: { line: number; text: string }[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/;

export function parseDotenv(text: string, path: string): DotenvFile {
  const entries = new Map<string, DotenvEntry>();
  const malformed: DotenvFile['malformed'] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (/^\s*(#.*)?$/.test(raw)) continue;
    const match = ASSIGNMENT.exec(raw);
    if (!match) {
      malformed.push({ line: i + 1, text: raw });
      continue;
    }
    const key = match[1] as string;
    let rest = match[2] as string;
    const startLine = i + 1;
    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may span lines until its closing quote.
      let body = rest.slice(1);
      let close = findClosingQuote(body, quote);
      while (close < 0 && i + 1 < lines.length) {
        i++;
        body += '\n' + (lines[i] ?? '');
        close = findClosingQuote(body, quote);
      }
      if (close < 0) {
        malformed.push({ line: startLine, text: raw });
        continue;
      }
      const inner = body.slice(0, close);
      value = quote === '"' ? unescapeDouble(inner) : inner;
    } else {
      const comment = rest.search(/\s#/);
      if (comment >= 0) rest = rest.slice(0, comment);
      value = rest.trim();
    }
    entries.set(key, { key, value, line: startLine, ...(i + 1 !== startLine ? { endLine: i + 1 } : {}) });
  }
  return { path, entries, malformed };
}

function findClosingQuote(body: string, quote: string): number {
  for (let j = 0; j < body.length; j++) {
    const ch = body[j];
    if (ch === '\\' && quote === '"') {
      j++;
      continue;
    }
    if (ch === quote) return j;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([nrt"\\$])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}
