/** Where a setting's value came from, in words a person can act on. */
export type SourceKind = 'flag' | 'env' | 'dotenv' | 'profile' | 'service' | 'libpq' | 'pgpass' | 'url' | 'default';

export interface Source {
  kind: SourceKind;
  /** e.g. "flag --url", "env", ".env line 3", "profile staging", "PGHOST", "~/.pgpass line 2", "DATABASE__URL (.env line 1)", "default". */
  label: string;
  /** The variable that held it (DATABASE__HOST, PGPASSWORD, ...), when there is one. */
  variable?: string;
  path?: string;
  line?: number;
}

/** A raw value and where it came from, before it is validated. */
export interface Candidate {
  raw: string;
  source: Source;
}

export const DEFAULT_SOURCE: Source = { kind: 'default', label: 'default' };

/** A path shortened with ~ for messages. */
export function tildify(path: string, home: string): string {
  return home && (path === home || path.startsWith(home + '/')) ? '~' + path.slice(home.length) : path;
}
