/** The Query screen's services, backed by core/query (loaded when the console opens). */
import type { Settings } from '../core/config/resolve.js';
import type { QueryServices } from './services.js';

export function createQueryService(settings: Settings): QueryServices {
  return {
    readOnly: settings.queryReadOnly,
    statementTimeout: settings.queryStatementTimeout,
    exportDir: process.cwd(),
    async openHistory() {
      const { openHistory, memoryHistory } = await import('../core/query/history.js');
      try {
        return await openHistory(settings.configDir);
      } catch {
        // An unwritable config dir must not stop the console; history then lasts for this run only.
        return memoryHistory();
      }
    },
    async open() {
      const { ConsoleSession } = await import('../core/query/console-session.js');
      return ConsoleSession.open(settings, { readOnly: settings.queryReadOnly, statementTimeout: settings.queryStatementTimeout });
    },
    async classify(sql) {
      const { classifyStatement } = await import('../core/query/classify.js');
      return classifyStatement(sql);
    },
    async exportResult(result, file, format, onProgress) {
      const { exportResult } = await import('../core/query/export.js');
      return exportResult(result, file, format, onProgress);
    },
  };
}
