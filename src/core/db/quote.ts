/**
 * Names and secrets typed by a person go into SQL only through these:
 * identifiers double-quoted (so `a"b`, spaces and unicode survive exactly),
 * literals single-quoted. DDL cannot take bind parameters, so this is the
 * one place that builds such SQL text; nothing is ever pasted in raw.
 */

/** PostgreSQL's NAMEDATALEN - 1: longer names are silently cut, so we refuse them instead. */
export const MAX_IDENTIFIER_BYTES = 63;

/** `"name"` with embedded double quotes doubled. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL character');
  return '"' + name.replace(/"/g, '""') + '"';
}

/** `'text'`, or `E'text'` with backslashes doubled when there are any (independent of standard_conforming_strings). */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a literal cannot contain a NUL character');
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/**
 * Why a role or database name cannot be created exactly as typed, in one
 * line with the rule; undefined when it can.
 */
export function identifierProblem(name: string, what: 'role' | 'database'): string | undefined {
  const shown = JSON.stringify(name);
  if (name.length === 0) return `the ${what} name is empty; allowed: 1 to ${MAX_IDENTIFIER_BYTES} bytes of any characters but NUL`;
  if (name.includes('\0')) return `the ${what} name ${shown} contains a NUL character; allowed: any characters but NUL`;
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    return `the ${what} name ${shown} is ${bytes} bytes in UTF-8, and PostgreSQL would cut it to ${MAX_IDENTIFIER_BYTES}; allowed: at most ${MAX_IDENTIFIER_BYTES} bytes`;
  }
  if (what === 'role') {
    if (/^pg_/i.test(name)) return `the role name ${shown} starts with "pg_", which PostgreSQL reserves for its own roles; allowed: any other name`;
    if (['public', 'none'].includes(name.toLowerCase())) return `the role name ${shown} is reserved by PostgreSQL; allowed: any other name`;
  }
  return undefined;
}
