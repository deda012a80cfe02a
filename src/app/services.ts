/**
 * What the screens may ask of the engine. The real implementation
 * (services-real.ts) calls src/core; UI tests pass fakes through the same
 * provider, so screens never know which they have.
 */
import { createContext, useContext } from 'react';
import type { ServerInfo } from '../core/db/server-info.js';
import type { MonitorSnapshot } from '../core/monitor/types.js';
import type { SignalAction, SignalResult } from '../core/monitor/signal.js';

export interface ConnectionSummary {
  /** `user@host:port/db`, never with the password. */
  target: string;
  /** Where the settings came from, one line (e.g. ".env + env"). */
  settingsNote?: string;
}

export type ProbeResult =
  | { ok: true; server: ServerInfo; elapsedMs: number }
  | { ok: false; code: string; message: string; evidence: string[] };

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

/** A failure as the screens show it: the stable code, one sentence, the evidence and the fixes. */
export interface Failure {
  ok: false;
  code: string;
  message: string;
  evidence: string[];
  fixes: string[];
}

/** The Monitor screen's connection, kept open while the screen is shown; nothing here throws. */
export interface MonitorService {
  snapshot(): Promise<{ ok: true; snapshot: MonitorSnapshot } | Failure>;
  /** Cancel a backend's query or terminate it (the screen has asked first). */
  signal(pid: number, action: SignalAction): Promise<{ ok: true; result: SignalResult } | Failure>;
  close(): Promise<void>;
}

export interface Services {
  version: string;
  connection: ConnectionSummary;
  /** Open one connection and read what Home shows; never throws. */
  probe(): Promise<ProbeResult>;
  settings: SettingsService;
  /** Open the monitor's connection (lazily: the first snapshot connects). */
  openMonitor(): MonitorService;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a ServicesContext provider');
  return services;
}
