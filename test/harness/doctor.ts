/**
 * What the doctor tests share: the check a report holds, a project whose
 * .env points at a server, the doctor run on it, and login roles made on a
 * cluster of a test's own.
 */
import pg from 'pg';
import { runDoctor } from '../../src/core/diagnostics/doctor.js';
import type { CheckId, DoctorReport } from '../../src/core/diagnostics/check-types.js';
import type { ClusterInfo } from './cluster.js';
import { envText, project, settingsOrError, type Project } from './settings.js';

/** The report's check `id`; the test fails if the doctor did not run it. */
export function check(report: DoctorReport, id: CheckId) {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

export interface EnvTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  /** Left out of the .env when undefined (the password then comes from elsewhere). */
  password?: string;
}

/**
 * A project whose .env names `target` (host, port, name, user, password on
 * lines 1-5) with DATABASE__SSLMODE=disable on the next, then `vars`; a var
 * named above replaces it on its line. `env` is the process environment.
 */
export function targetProject(target: EnvTarget, vars: Record<string, string | number> = {}, env: Record<string, string> = {}): Project {
  const password: Record<string, string> = target.password === undefined ? {} : { DATABASE__PASSWORD: target.password };
  return project(envText({ DATABASE__HOST: target.host, DATABASE__PORT: target.port, DATABASE__NAME: target.database, DATABASE__USER: target.user, ...password, DATABASE__SSLMODE: 'disable', ...vars }), env);
}

/** The doctor on a project, with the project's environment (a bad setting comes back as the config check). */
export function doctor(p: Project): Promise<DoctorReport> {
  return runDoctor({ settings: settingsOrError(p), deps: { env: p.env } });
}

/** The doctor as the cluster's superuser on its postgres database. */
export function doctorAsSuperuser(c: ClusterInfo): Promise<DoctorReport> {
  return runDoctor({ settings: settingsOrError(targetProject({ host: c.host, port: c.port, database: 'postgres', user: c.user, password: c.password })) });
}

/** Login roles with a password, made over the cluster's private socket (trust), whatever its pg_hba.conf says about TCP. */
export async function createLoginRoles(c: ClusterInfo, roles: string[], password: string): Promise<void> {
  const admin = new pg.Client({ host: c.socketDir, port: c.port, user: c.user, database: 'postgres' });
  await admin.connect();
  try {
    for (const role of roles) await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  } finally {
    await admin.end();
  }
}
