/**
 * Database URLs as the connector app writes them: `postgresql://`,
 * `postgres://` and SQLAlchemy's `postgresql+driver://` forms, with libpq's
 * query parameters (`sslmode`, `host` for a socket directory, ...).
 */

export interface UrlParts {
  driver?: string;
  user?: string;
  password?: string;
  host?: string;
  port?: string;
  database?: string;
  sslmode?: string;
  connectTimeout?: string;
  applicationName?: string;
  /** libpq's sslrootcert: the CA file that verify-ca / verify-full trust. */
  sslrootcert?: string;
  /** Query parameters the tool does not act on (their names only: a value may be secret). */
  ignored?: string[];
}

const SCHEME = /^(postgresql|postgres)(?:\+([A-Za-z0-9_]+))?:\/\//;

export class UrlError extends Error {}

/** Placeholders such as `${DATABASE__USER}` left in a URL by an .env template. */
export function findPlaceholders(url: string): string[] {
  return [...url.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] ?? '');
}

/** Replace each `${NAME}` with `lookup(NAME)`, percent-encoded so any character survives. */
export function interpolatePlaceholders(url: string, lookup: (name: string) => string | undefined): { url: string; missing: string[] } {
  const missing: string[] = [];
  const out = url.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    const value = lookup(name);
    if (value === undefined) {
      missing.push(name);
      return whole;
    }
    return encodeURIComponent(value);
  });
  return { url: out, missing };
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new UrlError(`the ${what} has a malformed %-escape`);
  }
}

export function parseDatabaseUrl(url: string): UrlParts {
  const scheme = SCHEME.exec(url);
  if (!scheme) throw new UrlError('it must start with postgresql://, postgres:// or postgresql+<driver>://');
  const rest = url.slice(scheme[0].length);
  const parts: UrlParts = {};
  if (scheme[2]) parts.driver = scheme[2];

  // The userinfo ends at the last '@' of the URL, so that a raw '@', '/', '?' or '#' typed into a
  // password (it should be %-encoded, but people type them) stays in the password instead of being
  // read as the host, the path or the query — and then echoed back in an error. An '@' inside the
  // query (after a '?' that is not in the userinfo) does not count.
  let at = rest.lastIndexOf('@');
  const firstQuery = rest.indexOf('?');
  if (at >= 0 && firstQuery >= 0 && firstQuery < at) {
    // An '@' after a '?': either the '?' is in a password, or the '@' is in a query value. A '/'
    // before that '?' (host/db?...) or an '@' before it means the '?' really starts the query.
    const head = rest.slice(0, firstQuery);
    if (head.includes('/') || head.includes('@')) at = rest.lastIndexOf('@', firstQuery);
  }
  const userinfo = at >= 0 ? rest.slice(0, at) : '';
  const afterUser = at >= 0 ? rest.slice(at + 1) : rest;
  const queryAt = afterUser.indexOf('?');
  const beforeQuery = queryAt >= 0 ? afterUser.slice(0, queryAt) : afterUser;
  const query = queryAt >= 0 ? afterUser.slice(queryAt + 1) : '';
  const slash = beforeQuery.indexOf('/');
  const hostport = slash >= 0 ? beforeQuery.slice(0, slash) : beforeQuery;
  const path = slash >= 0 ? beforeQuery.slice(slash + 1) : '';
  if (userinfo) {
    const colon = userinfo.indexOf(':');
    const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    if (user) parts.user = decode(user, 'user name');
    if (colon >= 0) parts.password = decode(userinfo.slice(colon + 1), 'password');
  }
  if (hostport.includes(',')) throw new UrlError('several hosts in one URL are not supported; name one host');
  if (hostport) {
    let host = hostport;
    let port: string | undefined;
    if (hostport.startsWith('[')) {
      const close = hostport.indexOf(']');
      if (close < 0) throw new UrlError('an IPv6 host must be closed with ]');
      host = hostport.slice(1, close);
      const after = hostport.slice(close + 1);
      if (after.startsWith(':')) port = after.slice(1);
      else if (after) throw new UrlError('unexpected text after the IPv6 host');
    } else {
      const colon = hostport.lastIndexOf(':');
      if (colon >= 0) {
        host = hostport.slice(0, colon);
        port = hostport.slice(colon + 1);
      }
    }
    if (host) parts.host = decode(host, 'host');
    if (port !== undefined && port !== '') parts.port = port;
  }
  if (path) parts.database = decode(path, 'database name');

  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq >= 0 ? pair.slice(0, eq) : pair, 'query');
    const value = decode(eq >= 0 ? pair.slice(eq + 1) : '', 'query');
    switch (key) {
      case 'sslmode':
        parts.sslmode = value;
        break;
      case 'ssl': // asyncpg spells it ssl=require / ssl=disable
        parts.sslmode = value === 'true' ? 'require' : value === 'false' ? 'disable' : value;
        break;
      case 'host':
        parts.host = value;
        break;
      case 'port':
        parts.port = value;
        break;
      case 'user':
        parts.user = value;
        break;
      case 'password':
        parts.password = value;
        break;
      case 'dbname':
        parts.database = value;
        break;
      case 'connect_timeout':
        parts.connectTimeout = value;
        break;
      case 'sslrootcert':
        parts.sslrootcert = value;
        break;
      case 'application_name':
        parts.applicationName = value;
        break;
      default:
        // Other libpq / driver options (e.g. prepared_statement_cache_size) do not change the target; they are named in a note.
        (parts.ignored ??= []).push(key);
        break;
    }
  }
  return parts;
}

const MASK = '****';

/** Build `postgresql://user:****@host:port/db?sslmode=...`; with `reveal` the real password (for child processes only). */
export function formatDatabaseUrl(
  target: { user: string; password?: string; host: string; port: number; database: string; sslmode?: string },
  options: { reveal?: boolean } = {},
): string {
  const user = encodeURIComponent(target.user);
  const password = target.password === undefined ? '' : ':' + (options.reveal ? encodeURIComponent(target.password) : MASK);
  const isSocket = target.host.startsWith('/');
  const host = isSocket ? '' : target.host.includes(':') ? `[${target.host}]` : target.host;
  const params: string[] = [];
  if (isSocket) params.push('host=' + encodeURIComponent(target.host));
  if (target.sslmode) params.push('sslmode=' + target.sslmode);
  const query = params.length ? '?' + params.join('&') : '';
  return `postgresql://${user}${password}@${host}:${target.port}/${encodeURIComponent(target.database)}${query}`;
}

/** Hide the password of any URL-looking text (for echoing a bad value back). */
export function maskUrlPassword(url: string): string {
  return url
    .replace(/^([a-z0-9+]+:\/\/[^:/@]*:)(.*)@/i, `$1${MASK}@`)
    .replace(/([?&]password=)[^&]*/gi, `$1${MASK}`);
}

/** `user@host:port/db`, the target line of the Home screen and of every report. */
export function describeTarget(target: { user: string; host: string; port: number; database: string }): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.user}@${host}:${target.port}/${target.database}`;
}
