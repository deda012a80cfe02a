/**
 * DATABASE__ECHO: every statement the tool sends, with parameters redacted
 * and password literals (CREATE/ALTER ROLE ... PASSWORD '...') masked.
 */

export type EchoSink = (line: string) => void;

export function redactSql(sql: string): string {
  return sql.replace(/(\bPASSWORD\s+)(E?'(?:[^']|'')*')/gi, "$1'****'");
}

export function formatEcho(sql: string, params: readonly unknown[] | undefined): string {
  const text = redactSql(sql.trim()).replace(/\s+/g, ' ');
  const suffix = params && params.length > 0 ? `  -- ${params.length} parameter${params.length === 1 ? '' : 's'} redacted` : '';
  return `[echo] ${text}${suffix}`;
}
