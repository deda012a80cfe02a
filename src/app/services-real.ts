/** The screens' services, backed by the real engine and the resolved settings. */
import { describeTarget } from '../core/config/url.js';
import type { Settings } from '../core/config/resolve.js';
import { isToolError } from '../core/errors.js';
import { packageVersion } from '../core/system/package-root.js';
import type { ProbeResult, Services } from './services.js';
import { createMigrationsService } from './services-migrations.js';

export function createRealServices(settings: Settings): Services {
  return {
    version: packageVersion(),
    connection: { target: describeTarget(settings.target) },
    async probe(): Promise<ProbeResult> {
      const started = performance.now();
      try {
        const { withClient } = await import('../core/db/connect.js');
        const { readServerInfo } = await import('../core/db/server-info.js');
        const server = await withClient(settings, readServerInfo);
        return { ok: true, server, elapsedMs: Math.round(performance.now() - started) };
      } catch (error) {
        if (isToolError(error)) return { ok: false, code: error.code, message: error.message, evidence: error.evidence };
        return { ok: false, code: 'internal', message: error instanceof Error ? error.message : String(error), evidence: [] };
      }
    },
    migrations: createMigrationsService(settings),
  };
}
