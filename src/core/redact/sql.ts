/**
 * Password literals in SQL, found with the shared lexer (so quotes, E''
 * escapes, dollar quotes and comments are read as PostgreSQL reads them):
 * the string after the key word PASSWORD (CREATE/ALTER ROLE ... [ENCRYPTED]
 * PASSWORD '...', $$...$$, $tag$...$tag$, E'...', U&'...'; also a user
 * mapping's OPTIONS (password '...')), a string compared with or assigned to
 * a column named *password (`SET password = '...'`), the same inside a
 * function or DO body, a comment, or a statement quoted for EXECUTE
 * (`'... PASSWORD ''x'''`), and any password inside a string literal or
 * comment: a URL's userinfo or `password=` of a connection string (CREATE
 * SUBSCRIPTION ... CONNECTION '...', dblink).
 * DATABASE__ECHO, the console's history and every error that repeats a
 * statement show the text through here.
 */
import { nextToken, type Token } from '../sql/scan.js';
import { applyRedactions, type Redacted, type Redaction } from './spans.js';
import { textSecretSpans } from './text.js';

const MASKED_LITERAL = "'****'";

/** The characters of a quoted token between its quotes (for the secret itself). */
function literalBody(text: string): string {
  const dollar = /^(\$[^$]*\$)([\s\S]*?)(\1)?$/.exec(text);
  if (dollar) return dollar[2] ?? '';
  const quoted = /^(?:[eE]|[uU]&)?(['"])([\s\S]*?)\1?$/.exec(text);
  return quoted ? (quoted[2] ?? '') : text;
}

// PASSWORD ''x'' (or \'x\' in an E'' string): a statement quoted inside a string, as EXECUTE runs it.
const QUOTED_PASSWORD = /(\bpassword\s+)(''(?:[^']|'''')*''|\\'(?:[^'\\]|\\.)*?\\')/gi;

function shifted(spans: Redaction[], by: number): Redaction[] {
  return spans.map((s) => ({ ...s, start: s.start + by, end: s.end + by }));
}

/** Secrets inside a string, dollar body or comment that is not itself the password: the SQL or text it holds. */
function nestedSpans(text: string, token: Token, sql: string): Redaction[] {
  const spans = shifted(textSecretSpans(text), token.start);
  if (token.kind === 'comment' || text[0] === '$') {
    // A function or DO body, or commented-out SQL: read it as SQL (the markers are no SQL themselves).
    const open = token.kind === 'comment' ? 2 : (/^\$[^$]*\$/.exec(text)?.[0].length ?? 1);
    spans.push(...shifted(sqlSecretSpans(sql.slice(token.start + open, token.end)), token.start + open));
  } else {
    for (const m of text.matchAll(QUOTED_PASSWORD)) {
      const start = token.start + (m.index ?? 0) + (m[1] ?? '').length;
      const quoted = m[2] ?? '';
      const quote = quoted.startsWith("''") ? "''" : "\\'";
      spans.push({ start, end: start + quoted.length, replacement: `${quote}****${quote}`, secret: quoted.slice(quote.length, quoted.length - quote.length) });
    }
  }
  return spans;
}

/** Where the secrets in `sql` are. */
export function sqlSecretSpans(sql: string): Redaction[] {
  const spans: Redaction[] = [];
  // The last significant tokens (no spaces or comments), newest last.
  const recent: Token[] = [];
  const word = (t: Token | undefined) => (t && (t.kind === 'word' || (t.kind === 'quoted' && sql[t.start] === '"')) ? sql.slice(t.start, t.end).replace(/^"|"$/g, '').toLowerCase() : undefined);
  let at = 0;
  while (at < sql.length) {
    const token = nextToken(sql, at);
    at = Math.max(token.end, at + 1);
    if (token.kind === 'space') continue;
    const text = sql.slice(token.start, token.end);
    if (token.kind === 'comment') {
      spans.push(...nestedSpans(text, token, sql));
      continue;
    }
    if (token.kind === 'quoted' && text[0] !== '"') {
      const [a, b, c] = [recent[recent.length - 1], recent[recent.length - 2], recent[recent.length - 3]];
      let start: number | undefined;
      // PASSWORD 'x' (and U&'x': the lexer reads U, & and the string apart)
      if (word(a) === 'password') start = token.start;
      else if (a && b && sql.slice(a.start, a.end) === '&' && word(b) === 'u' && word(c) === 'password' && b.end === a.start && a.end === token.start) start = b.start;
      // password = 'x', where password is a column (or a setting) named *password
      else if (a && sql.slice(a.start, a.end) === '=' && /password$/.test(word(b) ?? '')) start = token.start;
      if (start !== undefined) spans.push({ start, end: token.end, replacement: MASKED_LITERAL, secret: literalBody(text) });
      else spans.push(...nestedSpans(text, token, sql));
    }
    recent.push(token);
    if (recent.length > 3) recent.shift();
  }
  return spans;
}

/** `sql` with its password literals masked, the secrets, and where an offset of `sql` lands in the masked text. */
export function redactStatement(sql: string): Redacted {
  return applyRedactions(sql, sqlSecretSpans(sql));
}

/** `sql` with its password literals masked. */
export function redactSql(sql: string): string {
  return redactStatement(sql).text;
}
