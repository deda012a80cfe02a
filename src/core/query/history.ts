/**
 * The console's history, kept across runs in its own conf store
 * (`query-history.json` in the config dir: CONNECTOR_DB_CONFIG_DIR or
 * ~/.config/connector-db), mode 0600. Password literals are masked before
 * anything is written (ALTER ROLE ... PASSWORD '...'), so no secret lands in
 * a plain file. Oldest entries drop off past the limit.
 */
import { redactSql } from '../db/echo.js';

export interface HistoryStore {
  /** Oldest first. */
  entries(): string[];
  add(entry: string): void;
}

export const HISTORY_LIMIT = 500;

export async function openHistory(configDir: string, limit = HISTORY_LIMIT): Promise<HistoryStore> {
  const { default: Conf } = await import('conf');
  const store = new Conf<{ entries: string[] }>({
    cwd: configDir,
    configName: 'query-history',
    projectName: 'connector-db',
    configFileMode: 0o600,
    clearInvalidConfig: true,
    defaults: { entries: [] },
  });
  return {
    entries: () => [...(store.get('entries') ?? [])],
    add(entry) {
      const text = redactSql(entry.trim());
      if (text === '') return;
      const list = store.get('entries') ?? [];
      if (list[list.length - 1] === text) return;
      store.set('entries', [...list, text].slice(-limit));
    },
  };
}

/** A history that lives only in memory (UI tests, or when the config dir cannot be written). */
export function memoryHistory(initial: string[] = []): HistoryStore {
  const list = [...initial];
  return {
    entries: () => [...list],
    add(entry) {
      const text = redactSql(entry.trim());
      if (text !== '' && list[list.length - 1] !== text) list.push(text);
    },
  };
}
