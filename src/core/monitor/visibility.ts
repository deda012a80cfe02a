/**
 * What this role may see and do in the monitor, and the grants that would
 * widen it: pg_read_all_stats shows every session's query and state,
 * pg_signal_backend lets it cancel or terminate other roles' sessions
 * (never a superuser's).
 */
import type pg from 'pg';
import type { Session, Visibility } from './types.js';

type Queryable = Pick<pg.Client, 'query'>;

export interface RolePowers {
  role: string;
  superuser: boolean;
  readAllStats: boolean;
  signalBackend: boolean;
}

export async function readRolePowers(client: Queryable): Promise<RolePowers> {
  const { rows } = await client.query<{ role: string; superuser: boolean; read_all: boolean; signal: boolean }>(
    `select current_user as role,
            coalesce((select rolsuper from pg_roles where rolname = current_user), false) as superuser,
            pg_has_role(current_user, 'pg_read_all_stats', 'member') as read_all,
            pg_has_role(current_user, 'pg_signal_backend', 'member') as signal`,
  );
  const row = rows[0];
  if (!row) throw new Error('the server returned no row for the current role');
  return { role: row.role, superuser: row.superuser, readAllStats: row.superuser || row.read_all, signalBackend: row.superuser || row.signal };
}

/** Pure: the powers plus what the sessions list shows, as sentences for people. */
export function describeVisibility(powers: RolePowers, sessions: Session[]): Visibility {
  const hidden = sessions.filter((s) => !s.visible && s.isClient);
  const notes: string[] = [];
  if (hidden.length > 0) {
    const roles = [...new Set(hidden.map((s) => s.user ?? '?'))].sort();
    notes.push(
      `${hidden.length} session${hidden.length === 1 ? '' : 's'} of other roles (${roles.join(', ')}): state, query and times hidden from ${powers.role}; ` +
        `GRANT pg_read_all_stats TO ${quoteIdent(powers.role)}; shows them.`,
    );
  } else if (!powers.readAllStats) {
    notes.push(`${powers.role} sees other roles' queries only with pg_read_all_stats (none are connected now).`);
  }
  if (!powers.signalBackend) {
    notes.push(`${powers.role} may cancel or terminate only its own sessions; GRANT pg_signal_backend TO ${quoteIdent(powers.role)}; allows others' (never a superuser's).`);
  }
  return { role: powers.role, superuser: powers.superuser, readAllStats: powers.readAllStats, signalBackend: powers.signalBackend, hiddenSessions: hidden.length, notes };
}

/** Quote a role name only when it needs it, so the GRANT line reads naturally. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
