/**
 * Pure: the lines setup will add to or change in `.env`, and the file's new
 * text. Every other line and comment stays as it was; a key set twice is
 * changed where it takes effect (its last assignment); values are quoted so
 * that this tool, docker compose and python-dotenv all read them back
 * exactly. Every password is masked in what is shown, old lines and new:
 * a password key's whole value, and in any other line a URL's userinfo
 * password and `password=` parameters.
 */
import { parseDotenv } from '../config/dotenv.js';
import { parseDatabaseUrl } from '../config/url.js';
import { applyRedactions, scrubSecrets } from '../redact/spans.js';
import { maskSecretsInText, textSecretSpans } from '../redact/text.js';

export interface EnvChange {
  key: string;
  value: string;
  /** Shown as KEY=**** (keys ending in PASSWORD are always secret). */
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

/** A key that holds a password whatever the caller says (DATABASE__PASSWORD, PGPASSWORD, ...). */
function isSecret(change: EnvChange): boolean {
  return change.secret === true || /PASSWORD$/i.test(change.key);
}

function shown(change: EnvChange): string {
  return `${change.key}=${isSecret(change) ? '****' : maskSecretsInText(format(change))}`;
}

/**
 * The line(s) a change replaces, as shown: a secret key's value hidden
 * whole; any other's with every password in it masked (a URL's userinfo,
 * `password=`), and, should the raw text hide one from the patterns (a
 * quoted value with a space in it), the password the value parses to
 * scrubbed wherever it still appears.
 */
function shownBefore(original: string, change: EnvChange, value: string): string {
  if (isSecret(change)) return `${/^\s*export\s+/.test(original) ? 'export ' : ''}${change.key}=****`;
  const masked = applyRedactions(original, textSecretSpans(original));
  // Only what the patterns missed (a password that is also the user name stays masked once, not everywhere).
  const missed = new Set(applyRedactions(value, textSecretSpans(value)).secrets);
  try {
    const password = parseDatabaseUrl(value.trim()).password;
    if (password) missed.add(password).add(encodeURIComponent(password));
  } catch {
    // not a URL: the patterns above are all there is to mask
  }
  const left = [...missed].filter((s) => s !== '' && !masked.secrets.includes(s) && masked.text.includes(s)).sort((a, b) => b.length - a.length);
  return left.length > 0 ? scrubSecrets(masked.text, left) : masked.text;
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
    changes.push({ kind: 'change', key: w.key, line: start, before: shownBefore(original, w, entry.value), after: exported + shown(w) });
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
