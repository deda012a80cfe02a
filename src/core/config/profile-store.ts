/**
 * Saved profiles live in conf's JSON file (`~/.config/connector-db/config.json`,
 * or `CONNECTOR_DB_CONFIG_DIR`). Reading is a plain JSON read so start-up stays
 * fast; writing goes through conf (see profile-write.ts).
 */
import path from 'node:path';

export interface ProfileFile {
  activeProfile?: string;
  profiles?: Record<string, Record<string, string | number | boolean>>;
}

export function configDirFor(env: Record<string, string | undefined>, homeDir: string): string {
  if (env.CONNECTOR_DB_CONFIG_DIR) return path.resolve(env.CONNECTOR_DB_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME || path.join(homeDir, '.config');
  return path.join(base, 'connector-db');
}

export function profileFilePath(configDir: string): string {
  return path.join(configDir, 'config.json');
}

/** The profile to use: --profile, CONNECTOR_DB_PROFILE, the saved active one, else "default". */
export function chooseProfileName(file: ProfileFile | undefined, requested: string | undefined): string {
  return requested || file?.activeProfile || 'default';
}
