/**
 * What the screens may ask of the engine. The real implementation
 * (services-real.ts) calls src/core; UI tests pass fakes through the same
 * provider, so screens never know which they have.
 */
import { createContext, useContext } from 'react';
import type { ServerInfo } from '../core/db/server-info.js';
import type { StatementInfo } from '../core/query/classify.js';
import type { SessionInfo, StatementOutcome } from '../core/query/console-session.js';
import type { CatalogOutput } from '../core/query/catalog/run-meta.js';
import type { MetaCommand } from '../core/query/catalog/meta.js';
import type { HistoryStore } from '../core/query/history.js';
import type { ResultSet } from '../core/query/result-set.js';
import type { ExportFormat, ExportSummary } from '../core/query/export.js';

export interface ConnectionSummary {
  /** `user@host:port/db`, never with the password. */
  target: string;
  /** Where the settings came from, one line (e.g. ".env + env"). */
  settingsNote?: string;
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

export interface Services {
  version: string;
  connection: ConnectionSummary;
  /** Open one connection and read what Home shows; never throws. */
  probe(): Promise<ProbeResult>;
  query: QueryServices;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a ServicesContext provider');
  return services;
}
