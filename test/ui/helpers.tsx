/**
 * UI test helpers: render the App (or a screen) with fake services, send
 * keys, and wait for what the user would see.
 */
import { EventEmitter } from 'node:events';
import React from 'react';
import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import { App } from '../../src/app/App.js';
import type { Services } from '../../src/app/services.js';
import { fakeStatus } from './migration-fakes.js';
import type { BackupsService } from '../../src/app/services-backups-types.js';

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  left: '\u001B[D',
  right: '\u001B[C',
  enter: '\r',
  escape: '\u001B',
  ctrlC: '\u0003',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
} as const;

export function fakeServices(overrides: Partial<Services> = {}): Services {
  return {
    version: '0.0.0-test',
    connection: { target: 'app@db.example:5432/connector_db' },
    probe: async () => ({
      ok: true,
      elapsedMs: 3,
      server: { version: '15.19', versionNum: 150019, banner: 'PostgreSQL 15.19', database: 'connector_db', user: 'app', inRecovery: false, backendPid: 42 },
    }),
    migrations: {
      status: async () => ({ ok: true, status: fakeStatus('002') }),
      run: async () => ({ ok: false, code: 'failed', message: 'fake services do not run migrations', evidence: [], fixes: [] }),
      sql: async () => ({ ok: false, code: 'not_found', message: 'fake services have no files', evidence: [], fixes: [] }),
    },
    settings: {
      rows: [
        { key: 'DATABASE__HOST', value: 'db.example', source: '.env line 1' },
        { key: 'DATABASE__PASSWORD', value: '****', source: '~/.pgpass line 2' },
        { key: 'DATABASE__POOL_SIZE', value: '10', source: 'default' },
      ],
      notes: [],
      url: 'postgresql://app:****@db.example:5432/connector_db',
      profiles: () => [],
      useProfile: async () => {},
    },
    backups: fakeBackups(),
    ...overrides,
  } as Services;
}

/** A backups service with an empty folder; UI tests of the Backups screen pass their own (test/ui/backups-fakes.ts). */
export function fakeBackups(overrides: Partial<BackupsService> = {}): BackupsService {
  const failure = { ok: false as const, code: 'internal', message: 'not faked', evidence: [], fixes: [] };
  return {
    dir: '/srv/app/backups',
    database: 'connector_db',
    list: async () => ({ ok: true, listing: { dir: '/srv/app/backups', exists: false, backups: [], leftovers: [] } }),
    latest: async () => undefined,
    backup: async () => failure,
    planRestore: async () => failure,
    restore: async () => failure,
    planReset: async () => failure,
    reset: async () => failure,
    ...overrides,
  };
}

export function renderApp(services: Services, options: { initialScreen?: string; onQuit?: () => void; reloadServices?: () => Services } = {}) {
  const instance = render(<App services={services} {...options} />);
  return {
    ...instance,
    frame: () => instance.lastFrame() ?? '',
    async press(key: string) {
      instance.stdin.write(key);
      await tick();
    },
    async waitFor(predicate: (frame: string) => boolean, what: string, timeoutMs = 5000) {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        const frame = instance.lastFrame() ?? '';
        if (predicate(frame)) return frame;
        await tick(10);
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${instance.lastFrame()}`);
    },
  };
}

export function tick(ms = 20): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A terminal of a chosen size (ink-testing-library's is fixed at 100 columns and has no rows). */
class SizedTerminal extends EventEmitter {
  isTTY = true;
  last = '';
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.last = frame;
    return true;
  };
}

class Keyboard extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** The App in a terminal of `columns` x `rows`; `frame()` is the last full frame Ink drew. */
export function renderAppSized(services: Services, size: { columns: number; rows: number }, options: { initialScreen?: string } = {}) {
  const stdout = new SizedTerminal(size.columns, size.rows);
  const stdin = new Keyboard();
  const instance = inkRender(<App services={services} {...options} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new SizedTerminal(size.columns, size.rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    frame: () => stdout.last,
    async press(key: string) {
      stdin.write(key);
      await tick();
    },
    async waitFor(predicate: (frame: string) => boolean, what: string, timeoutMs = 5000) {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        if (predicate(stdout.last)) return stdout.last;
        await tick(10);
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${stdout.last}`);
    },
    unmount: () => instance.unmount(),
  };
}
