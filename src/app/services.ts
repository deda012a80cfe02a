/**
 * What the screens may ask of the engine. The real implementation
 * (services-real.ts) calls src/core; UI tests pass fakes through the same
 * provider, so screens never know which they have.
 */
import { createContext, useContext } from 'react';
import type { ServerInfo } from '../core/db/server-info.js';
import type { MonitorSnapshot } from '../core/monitor/types.js';
import type { SignalAction, SignalResult } from '../core/monitor/signal.js';
import type { StatementInfo } from '../core/query/classify.js';
import type { SessionInfo, StatementOutcome } from '../core/query/console-session.js';
import type { CatalogOutput } from '../core/query/catalog/run-meta.js';
import type { MetaCommand } from '../core/query/catalog/meta.js';
import type { HistoryStore } from '../core/query/history.js';
import type { ResultSet } from '../core/query/result-set.js';
import type { ExportFormat, ExportSummary } from '../core/query/export.js';
import type { ActionId, CheckResult, DoctorReport } from '../core/diagnostics/check-types.js';
import type { ActionOutcome } from '../core/diagnostics/actions.js';
import type { AdminLogin } from '../core/setup/admin-login.js';
import type { SetupAsker, SetupStep } from '../core/setup/setup.js';
import type { MigrationStatus } from '../core/migrations/status.js';
import type { MigrationEvent } from '../core/migrations/events.js';
import type { MoveResult } from '../core/migrations/runner.js';
import type { LockWatchEvent } from '../core/monitor/lock-watch.js';
import type { RehearsalEvent, RehearsalResult } from '../core/rehearsal/rehearse.js';
import type { BackupsService } from './services-backups-types.js';

export interface ConnectionSummary {
  /** `user@host:port/db`, never with the password. */
  target: string;
  /** DATABASE__ECHO is on: the file the statements are appended to. */
  echoLog?: string;
}

export type ProbeResult =
  | { ok: true; server: ServerInfo; elapsedMs: number }
  | { ok: false; code: string; message: string; evidence: string[] };

/** One console connection (the real one is core/query/console-session.ts). */
export interface QuerySession {
  readonly info: SessionInfo;
  /** Read-only transactions for every statement; the screen's switch flips it. */
  readOnly: boolean;
  /** I idle, T in a transaction, E in a failed transaction. */
  readonly transactionStatus: 'I' | 'T' | 'E';
  execute(sql: string, info?: StatementInfo): Promise<StatementOutcome>;
  catalog(command: MetaCommand): Promise<CatalogOutput>;
  /** Ask the server to cancel the running statement. */
  cancel(): Promise<boolean>;
  close(): Promise<void>;
}

/** What the Query screen needs. */
export interface QueryServices {
  /** QUERY__READ_ONLY (or --read-only): the switch's starting position. */
  readOnly: boolean;
  /** QUERY__STATEMENT_TIMEOUT in seconds (0 = none). */
  statementTimeout: number;
  /** Where exports go by default (the current folder). */
  exportDir: string;
  openHistory(): Promise<HistoryStore>;
  /** Connect; rejects with a ToolError (its code) when the connection fails. */
  open(): Promise<QuerySession>;
  /** What a statement does, from the parser (loaded on first use). */
  classify(sql: string): Promise<StatementInfo>;
  exportResult(result: ResultSet, file: string, format: ExportFormat, onProgress: (rows: number) => void): Promise<ExportSummary>;
}

/** A failure the screens show in place: code, sentence, evidence, fixes. */
export interface ServiceFailure {
  ok: false;
  code: string;
  message: string;
  evidence: string[];
  fixes: string[];
}

export type MigrationStatusResult = { ok: true; status: MigrationStatus } | ServiceFailure;
export type MigrationMoveResult = { ok: true; result: MoveResult } | ServiceFailure;
export type RevisionSqlResult = { ok: true; id: string; direction: 'up' | 'down'; file: string; startLine: number; text: string; noTransaction: boolean } | ServiceFailure;

/** What a run reports as it goes: the runner's events, and (monitor) who blocks it while it waits on a lock. */
export type MigrationRunEvent = MigrationEvent | LockWatchEvent;

export interface MigrationMove {
  kind: 'upgrade' | 'downgrade' | 'stamp';
  /** head | base | +N | -N | a revision id. */
  target: string;
}

/** The Migrations screen and Home's revision line (migrations, issue 3). None of these throw. */
export interface MigrationsService {
  status(): Promise<MigrationStatusResult>;
  run(move: MigrationMove, onEvent: (event: MigrationRunEvent) => void): Promise<MigrationMoveResult>;
  /** One revision's up or down section, read from its file. */
  sql(id: string, direction: 'up' | 'down'): Promise<RevisionSqlResult>;
  /** `migrate rehearse`: the pending files up, down and up again on a scratch copy (monitor, issue 7); absent in fakes that do not need it. */
  rehearse?(onEvent: (event: RehearsalEvent) => void, signal?: AbortSignal): Promise<{ ok: true; result: RehearsalResult } | ServiceFailure>;
}

export interface SettingRow {
  key: string;
  /** Display value (secrets masked); undefined = not set. */
  value?: string;
  /** Where it came from, e.g. ".env line 3". */
  source: string;
}

export interface ProfileRow {
  name: string;
  active: boolean;
  /** user@host:port/db as saved. */
  target: string;
}

export interface SettingsService {
  rows: SettingRow[];
  notes: string[];
  url: string;
  profiles(): ProfileRow[];
  /** Make a saved profile the active one (persisted); the caller then reloads the services. */
  useProfile(name: string): Promise<void>;
}

/** The Monitor screen's connection, kept open while the screen is shown; nothing here throws. */
export interface MonitorService {
  snapshot(): Promise<{ ok: true; snapshot: MonitorSnapshot } | ServiceFailure>;
  /** Cancel a backend's query or terminate it (the screen has asked first). */
  signal(pid: number, action: SignalAction): Promise<{ ok: true; result: SignalResult } | ServiceFailure>;
  close(): Promise<void>;
}

/** The Doctor screen's engine: the same checks and actions as `connector-db doctor`. */
export interface DoctorService {
  /** Run every check; `onCheck` as each finishes. Never throws (a broken run is a failed check). */
  run(onCheck: (check: CheckResult) => void): Promise<DoctorReport>;
  /** Do a check's action; `admin` when it needs more rights. Throws an error with `code` and `message`. */
  act(action: ActionId, admin?: AdminLogin): Promise<ActionOutcome>;
}

export interface SetupOutcome {
  target: string;
  steps: SetupStep[];
  envWritten: boolean;
}

/** The Setup screen's engine: the same steps as `connector-db setup`; questions go to the screen's asker. */
export interface SetupService {
  run(asker: SetupAsker, onStep: (step: SetupStep) => void): Promise<SetupOutcome>;
}

export interface Services {
  version: string;
  connection: ConnectionSummary;
  /** Open one connection and read what Home shows; never throws. */
  probe(): Promise<ProbeResult>;
  query: QueryServices;
  migrations: MigrationsService;
  settings: SettingsService;
  /** Open the monitor's connection (lazily: the first snapshot connects). */
  openMonitor(): MonitorService;
  doctor: DoctorService;
  setup: SetupService;
  /** The Backups screen and Home's last-backup line (backups, issue 5). */
  backups: BackupsService;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a ServicesContext provider');
  return services;
}
