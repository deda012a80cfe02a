/**
 * The one list of variables that may carry a password, and the environment
 * every child process gets: without them. A child's environment is readable
 * in /proc/PID/environ for as long as it runs (the devdb server runs for
 * days), and whatever it starts inherits it. PostgreSQL's programs get the
 * password they need through a 0600 passfile (pg-tool-env.ts), never here.
 */

/** Variables connector-db reads that may hold a password. */
export const SECRET_VARIABLES = ['DATABASE__PASSWORD', 'DATABASE__URL', 'PGPASSWORD', 'CONNECTOR_DB_ADMIN_URL'] as const;

/** A listed variable, or any other named *PASSWORD (the app's own, a placeholder's source in a URL). */
export function isSecretVariable(name: string): boolean {
  return (SECRET_VARIABLES as readonly string[]).includes(name) || /PASSWORD$/i.test(name);
}

/** A copy of `env` without the secret variables, for any child process. */
export function withoutSecrets<T extends Record<string, string | undefined>>(env: T): T {
  const copy = { ...env };
  for (const key of Object.keys(copy)) if (isSecretVariable(key)) delete copy[key];
  return copy;
}
