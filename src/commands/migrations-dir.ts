/**
 * The migrations folder a migrate command or reset works on, checked before
 * anything connects: a folder that does not exist is bad input, named with
 * the setting and the layer that set it (flag, .env line, profile), exit 2.
 */
import { statSync } from 'node:fs';
import { ToolError } from '../core/errors.js';
import type { Settings } from '../core/config/resolve.js';

export function checkedMigrationsDir(settings: Settings): string {
  const dir = settings.migrationsDir;
  let kind: 'missing' | 'file' | 'ok' = 'missing';
  try {
    kind = statSync(dir).isDirectory() ? 'ok' : 'file';
  } catch {
    kind = 'missing';
  }
  if (kind === 'ok') return dir;
  const source = settings.entries.find((e) => e.key === 'MIGRATIONS__DIR')?.source;
  const what = source?.kind === 'flag' ? `--migrations-dir ${dir}` : `MIGRATIONS__DIR=${dir} from ${source?.label ?? 'default'}`;
  throw new ToolError('usage', `${what} ${kind === 'file' ? 'is a file, not a folder' : 'does not exist'}; allowed: the folder holding the migration files (001_*.sql ...)`, { exitCode: 2 });
}
