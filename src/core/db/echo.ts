/**
 * DATABASE__ECHO: every statement the tool sends, with parameters redacted
 * and password literals (CREATE/ALTER ROLE ... PASSWORD '...', $$...$$,
 * E'...'; see redact/sql.ts) masked.
 */

import { redactSql } from '../redact/sql.js';

export { redactSql };

export type EchoSink = (line: string) => void;

export function formatEcho(sql: string, params: readonly unknown[] | undefined): string {
  const text = redactSql(sql.trim()).replace(/\s+/g, ' ');
  const suffix = params && params.length > 0 ? `  -- ${params.length} parameter${params.length === 1 ? '' : 's'} redacted` : '';
  return `[echo] ${text}${suffix}`;
}

/**
 * Where DATABASE__ECHO lines go when a caller names no sink: the face sets it
 * once at start-up (stderr for commands, a log file for the screens), so
 * every connection the engine opens echoes, not only those that pass a sink.
 * Kept here, away from pg, so setting it costs nothing at start-up.
 */
let fallbackSink: EchoSink | undefined;

export function setDefaultEchoSink(sink: EchoSink | undefined): void {
  fallbackSink = sink;
}

export function defaultEchoSink(): EchoSink | undefined {
  return fallbackSink;
}
