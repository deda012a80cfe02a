/**
 * Open the screens: alternate screen buffer, Ink render, and the terminal
 * restored on every way out (q, Ctrl-C, a crash, SIGTERM/SIGHUP over a
 * dropped SSH link).
 */
import v8 from 'node:v8';
import React from 'react';
import { render } from 'ink';
import { App } from './App.js';
import { createRealServices } from './services-real.js';
import type { CommandContext } from '../commands/context.js';
import { ConfigError, isToolError } from '../core/errors.js';

const ENTER_ALT = '\u001B[?1049h\u001B[H';
const LEAVE_ALT = '\u001B[?1049l';

export interface TuiOptions {
  /** The screen to open first (e.g. "query" for `connector-db query` at a terminal). */
  initialScreen?: string;
  /** Command flags that are settings (e.g. query's --read-only). */
  flags?: Parameters<CommandContext['settings']>[0];
}

export async function runTui(ctx: CommandContext, options: TuiOptions = {}): Promise<number> {
  let settings;
  try {
    settings = ctx.settings(options.flags);
  } catch (error) {
    // Bad settings: the same one-line messages as the commands, before any screen opens.
    if (error instanceof ConfigError) {
      for (const p of error.problems) ctx.out.note(`connector-db: ${p}`);
      return 2;
    }
    if (isToolError(error)) {
      ctx.out.note(`connector-db: ${error.code}: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
  // The young generation would otherwise grow to tens of MB while the query
  // console streams a million short-lived rows; a terminal UI needs flat
  // memory more than allocation throughput (bench/results/query.md).
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  const services = createRealServices(settings);
  const stdout = process.stdout;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    stdout.write(LEAVE_ALT);
  };
  stdout.write(ENTER_ALT);
  const onSignal = () => {
    instance.unmount();
    restore();
    process.exit(130);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  const reloadServices = () => createRealServices(ctx.settings(options.flags ?? {}, { fresh: true }));
  const instance = render(<App services={services} reloadServices={reloadServices} {...(options.initialScreen ? { initialScreen: options.initialScreen } : {})} />, { exitOnCtrlC: false, patchConsole: true });
  try {
    await instance.waitUntilExit();
  } finally {
    restore();
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
  return 0;
}
