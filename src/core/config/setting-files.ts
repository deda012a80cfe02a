/**
 * The files settings are read from besides the environment: the .env (or
 * --env-file), the saved profiles, pg_service.conf for PGSERVICE, and
 * ~/.pgpass. A file that must be read but cannot is a problem (one line);
 * one that may be absent is simply not there.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDotenv, type DotenvFile } from './dotenv.js';
import { findPgpassEntry } from './pgpass.js';
import { findService } from './pgservice.js';
import { profileFilePath, type ProfileFile } from './profile-store.js';
import { tildify } from './sources.js';

/** `--env-file PATH` must be readable; without it, `./.env` is read when present. */
export function readDotenv(cwd: string, envFile: string | undefined, problems: string[]): DotenvFile | undefined {
  const explicit = envFile ?? undefined;
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, '.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!explicit && code === 'ENOENT') return undefined;
    problems.push(`${explicit ? `--env-file ${explicit}` : '.env'} cannot be read (${code ?? 'error'}); allowed: a readable .env file`);
    return undefined;
  }
  return parseDotenv(text, file);
}

/** The saved profiles, when there are any. */
export function readProfileFile(configDir: string, problems: string[]): ProfileFile | undefined {
  const file = profileFilePath(configDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as ProfileFile;
  } catch {
    problems.push(`saved profiles file ${file} is not valid JSON; allowed: a file written by connector-db (move it away to start afresh)`);
    return undefined;
  }
}

/** The saved profiles' names, for a message. */
export function listProfiles(file: ProfileFile | undefined): string {
  const names = Object.keys(file?.profiles ?? {});
  return names.length ? names.join(', ') : 'no profiles are saved yet';
}

/** The [section] PGSERVICE names, from the first service file that has it (PGSERVICEFILE, ~/.pg_service.conf, PGSYSCONFDIR). */
export function readService(env: Record<string, string | undefined>, home: string, problems: string[]) {
  const name = env.PGSERVICE;
  if (!name) return undefined;
  const candidates = [env.PGSERVICEFILE, path.join(home, '.pg_service.conf'), env.PGSYSCONFDIR ? path.join(env.PGSYSCONFDIR, 'pg_service.conf') : undefined].filter(
    (p): p is string => Boolean(p),
  );
  for (const file of candidates) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const found = findService(text, file, name);
    if (found) return found;
  }
  problems.push(`PGSERVICE=${JSON.stringify(name)} from env names a service that no service file defines (looked in ${candidates.map((c) => tildify(c, home)).join(', ')}); allowed: a [section] of pg_service.conf`);
  return undefined;
}

/** The ~/.pgpass (or PGPASSFILE) line for the target; a file others can read is ignored, as libpq does, with a note. */
export function lookupPgpass(env: Record<string, string | undefined>, home: string, target: { host: string; port: number; database: string; user: string }, notes: string[]) {
  const file = env.PGPASSFILE || path.join(home, '.pgpass');
  let text: string;
  try {
    const mode = statSync(file).mode;
    if (mode & 0o077) {
      notes.push(`${tildify(file, home)} is ignored: it is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${tildify(file, home)}`);
      return undefined;
    }
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return findPgpassEntry(text, file, target);
}

/** The .env's path as a person would type it: relative to the working folder when inside it, else with ~. */
export function displayEnvPath(file: string, cwd: string, home: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : tildify(file, home);
}
