/**
 * Passwords inside free text: a URL's userinfo (`scheme://user:PASSWORD@`),
 * and `password=VALUE` in a URL's query or a libpq connection string
 * (`host=db password=x`, also `PGPASSWORD=x`). For anything shown that may
 * hold a connection string: an .env line, a SQL string literal, a value
 * typed into a form.
 */
import { applyRedactions, type Redaction } from './spans.js';

export const MASK = '****';

// The userinfo runs to the last '@' of the unbroken run: a raw '@', '/' or ':' in a password is a common mistake.
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*:([^\s'"]*)@/gi;
// `password=`, `PGPASSWORD=`, `db_password =`: the value is quoted ('...', ''...'' inside SQL, "...") or runs to a blank, & or quote.
const PARAM = /\b\w*password\s*=\s*/gi;

function paramValueEnd(text: string, at: number): number {
  const rest = text.slice(at);
  const quoted = /^''(?:[^']|'(?!'))*(?:''|$)|^'(?:[^'\\]|\\.)*(?:'|$)|^"(?:[^"\\]|\\.)*(?:"|$)/.exec(rest);
  if (quoted) return at + quoted[0].length;
  const bare = /^[^\s&'"]*/.exec(rest);
  return at + (bare ? bare[0].length : 0);
}

/** `${DATABASE__PASSWORD}`: a placeholder an .env template leaves for docker compose to fill, no secret. */
const PLACEHOLDER = /^\$\{[^}]*\}$/;

/** Where the passwords in `text` are, each with its mask. */
export function textSecretSpans(text: string): Redaction[] {
  const spans: Redaction[] = [];
  for (const m of text.matchAll(URL_PASSWORD)) {
    const password = m[1] ?? '';
    if (password === '' || PLACEHOLDER.test(password)) continue;
    const start = (m.index ?? 0) + m[0].length - 1 - password.length;
    spans.push({ start, end: start + password.length, replacement: MASK, secret: password });
  }
  for (const m of text.matchAll(PARAM)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = paramValueEnd(text, start);
    if (end === start) continue;
    const value = text.slice(start, end);
    const quote = /^(''|'|")/.exec(value)?.[1] ?? '';
    const secret = value.slice(quote.length, value.endsWith(quote) && value.length >= 2 * quote.length ? value.length - quote.length : undefined);
    if (PLACEHOLDER.test(secret)) continue;
    spans.push({ start, end, replacement: quote + MASK + quote, secret });
  }
  return spans;
}

/** `text` with every password found by textSecretSpans replaced by ****. */
export function maskSecretsInText(text: string): string {
  return applyRedactions(text, textSecretSpans(text)).text;
}

/**
 * A URL as it is being typed, for showing: the password hidden from its
 * first character on. Before the '@' is typed, `scheme://name:` could be a
 * user and a password or a host and a port; it is shown only once it reads
 * as a port followed by '/', so a password never appears, even for a moment.
 */
export function maskTypedUrl(value: string): string {
  // (an IPv6 host, `[::1]:5432`, is no user name)
  const head = /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"[]*:/i.exec(value);
  if (!head) return maskSecretsInText(value);
  const rest = value.slice(head[0].length);
  const at = rest.lastIndexOf('@');
  if (at >= 0) return head[0] + (at > 0 ? MASK : '') + maskSecretsInText(rest.slice(at));
  if (rest === '' || /^\d+\//.test(rest)) return head[0] + maskSecretsInText(rest);
  return head[0] + MASK;
}
