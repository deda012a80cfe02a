/**
 * Pure: the lines setup will add to or change in `.env`, and the file's new
 * text. Every other line and comment stays as it was; a key set twice is
 * changed where it takes effect (its last assignment); values are quoted so
 * that this tool, docker compose and python-dotenv all read them back
 * exactly. Secrets are masked in what is shown.
 */
import { parseDotenv } from '../config/dotenv.js';

export interface EnvChange {
  key: string;
  value: string;
  secret?: boolean;
  /** Written bare, as is: `${VAR}` placeholders that docker compose and python-dotenv must still fill in (quotes would stop them). */
  verbatim?: boolean;
}

export interface EnvLineChange {
  kind: 'add' | 'change';
  key: string;
  /** 1-based line in the current file (changes only). */
  line?: number;
  /** The current line(s), as shown (secrets masked). */
  before?: string;
  /** The new line, as shown (secrets masked). */
  after: string;
}

export interface EnvPlan {
  path: string;
  exists: boolean;
  /** The full new text (with real values: for the writer only). */
  text: string;
  changes: EnvLineChange[];
  /** Keys that already hold the wanted value. */
  unchanged: string[];
}

const SAFE = /^[A-Za-z0-9_./:@%+,=-]+$/;

/** A value as a .env line writes it: bare when plainly safe, else single-quoted, else double-quoted with escapes. */
export function formatEnvValue(value: string): string {
  if (SAFE.test(value)) return value;
  if (!value.includes("'") && !/[\r\n]/.test(value)) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

function format(change: EnvChange): string {
  if (change.verbatim) {
    if (/[\s#'"]/.test(change.value)) throw new Error(`${change.key}: a verbatim .env value cannot hold spaces, # or quotes`);
    return change.value;
  }
  return formatEnvValue(change.value);
}

function shown(change: EnvChange): string {
  return `${change.key}=${change.secret ? '****' : format(change)}`;
}

export function planEnvFile(path: string, current: string | undefined, wanted: EnvChange[]): EnvPlan {
  const text = current ?? '';
  const parsed = parseDotenv(text, path);
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const changes: EnvLineChange[] = [];
  const unchanged: string[] = [];
  const replacements = new Map<number, { end: number; line: string }>();
  const additions: string[] = [];
  for (const w of wanted) {
    const entry = parsed.entries.get(w.key);
    const line = `${w.key}=${format(w)}`;
    if (!entry) {
      additions.push(line);
      changes.push({ kind: 'add', key: w.key, after: shown(w) });
      continue;
    }
    if (entry.value === w.value) {
      unchanged.push(w.key);
      continue;
    }
    const start = entry.line;
    const end = entry.endLine ?? entry.line;
    const original = lines.slice(start - 1, end).join('\n');
    const exported = /^\s*export\s+/.test(original) ? 'export ' : '';
    replacements.set(start, { end, line: exported + line });
    changes.push({ kind: 'change', key: w.key, line: start, before: w.secret ? `${w.key}=****` : original, after: exported + shown(w) });
  }
  const out: string[] = [];
  for (let i = 1; i <= lines.length; i++) {
    const r = replacements.get(i);
    if (r) {
      out.push(r.line);
      i = r.end;
    } else {
      out.push(lines[i - 1] as string);
    }
  }
  out.push(...additions);
  return { path, exists: current !== undefined, text: out.length ? out.join(eol) + eol : '', changes, unchanged };
}

/** The plan as diff lines for a person: `+ KEY=value` added, `- old` / `+ new` changed (with line numbers). */
export function envDiffLines(plan: EnvPlan): string[] {
  const out: string[] = [];
  for (const c of plan.changes) {
    if (c.kind === 'change') {
      out.push(`- ${c.before}   (line ${c.line})`);
      out.push(`+ ${c.after}`);
    } else {
      out.push(`+ ${c.after}`);
    }
  }
  return out;
}
