/** The screens' services, backed by the real engine and the resolved settings. */
import { describeTarget } from '../core/config/url.js';
import type { Settings } from '../core/config/resolve.js';
import { isToolError } from '../core/errors.js';
import { packageVersion } from '../core/system/package-root.js';
import { readFileSync } from 'node:fs';
import { profileFilePath, type ProfileFile } from '../core/config/profile-store.js';
import { createMonitorService } from './monitor-service.js';
import type { DoctorService, ProbeResult, Services, SettingsService, SetupService } from './services.js';
import { doctorService, setupService } from './services-doctor.js';
import { createMigrationsService } from './services-migrations.js';
import { createQueryService } from './services-query.js';
import { backupsService } from './services-backups.js';

export function createRealServices(settings: Settings, echoLog?: string): Services {
  return {
    version: packageVersion(),
    connection: { target: describeTarget(settings.target), ...(echoLog ? { echoLog } : {}) },
    settings: settingsService(settings),
    openMonitor: () => createMonitorService(settings),
    doctor: doctorService(settings) satisfies DoctorService,
    setup: setupService(settings) satisfies SetupService,
    backups: backupsService(settings),
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
    query: createQueryService(settings),
  };
}

function settingsService(settings: Settings): SettingsService {
  return {
    rows: settings.entries.map((e) => ({ key: e.key, ...(e.display !== undefined ? { value: e.display } : {}), source: e.source.label })),
    notes: settings.notes,
    url: settings.maskedUrl,
    profiles() {
      let file: ProfileFile = {};
      try {
        file = JSON.parse(readFileSync(profileFilePath(settings.configDir), 'utf8')) as ProfileFile;
      } catch {
        file = {};
      }
      return Object.entries(file.profiles ?? {}).map(([name, p]) => ({
        name,
        active: name === settings.profileName && file.activeProfile === name,
        target: `${p.DATABASE__USER ?? '?'}@${p.DATABASE__HOST ?? '?'}:${p.DATABASE__PORT ?? '?'}/${p.DATABASE__NAME ?? '?'}`,
      }));
    },
    async useProfile(name) {
      const { useProfile } = await import('../core/config/profile-write.js');
      await useProfile(settings.configDir, name);
    },
  };
}
