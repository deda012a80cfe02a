/**
 * The Doctor and Setup screens' services, backed by the same engine calls
 * as `connector-db doctor` and `connector-db setup` (loaded lazily, so the
 * TUI starts as fast as before).
 */
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../core/config/resolve.js';
import type { DoctorService, SetupService } from './services.js';

export function doctorService(settings: Settings, env: Record<string, string | undefined> = process.env): DoctorService {
  return {
    async run(onCheck) {
      const { runDoctor } = await import('../core/diagnostics/doctor.js');
      const { doctorMigrationChecks } = await import('../core/diagnostics/migration-checks.js');
      try {
        return await runDoctor({ settings, deps: { env, ...(await doctorMigrationChecks()) }, onCheck });
      } catch (error) {
        const { result } = await import('../core/diagnostics/check-types.js');
        const message = error instanceof Error ? error.message : String(error);
        const check = result('settings', 'failed', `The doctor itself failed: ${message}`, { code: 'server_error', evidence: [message] });
        onCheck(check);
        return { ok: false, checks: [check] };
      }
    },
    async act(action, admin) {
      const { runDoctorAction } = await import('../core/diagnostics/actions.js');
      const { doctorStamp } = await import('../core/diagnostics/migration-checks.js');
      return runDoctorAction(action, { settings, env, ...(admin ? { admin } : {}), ...(await doctorStamp()) });
    },
  };
}

export function setupService(settings: Settings, env: Record<string, string | undefined> = process.env): SetupService {
  return {
    async run(asker, onStep) {
      const { runSetup } = await import('../core/setup/setup.js');
      const { runDoctor } = await import('../core/diagnostics/doctor.js');
      const { devdbStart } = await import('../core/devdb/devdb.js');
      const { dataRootFor } = await import('../core/devdb/paths.js');
      const { serverAccountIfRoot, systemRunner } = await import('../core/devdb/runner.js');
      const { setupMigrateFor } = await import('../core/setup/migrate-step.js');
      const account = await serverAccountIfRoot();
      const result = await runSetup(settings, asker, {
        env,
        doctor: (s) => runDoctor({ settings: s, deps: { env } }),
        devdbStart: async () => {
          const info = await devdbStart(dataRootFor(env, env.HOME ?? os.homedir()), { runner: systemRunner(env), env, ...(account ? { serverAccount: account } : {}) });
          return { port: info.port as number, socketDir: info.socketDir, superuser: info.superuser, ...(info.version ? { version: info.version } : {}) };
        },
        ...(await setupMigrateFor(settings)),
        envFilePath: settings.envFilePath ?? path.resolve(process.cwd(), '.env'),
        onStep,
      });
      return { target: result.target, steps: result.steps, envWritten: result.env.written };
    },
  };
}
