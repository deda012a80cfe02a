/**
 * Open the screens: alternate screen buffer, Ink render, and the terminal
 * restored on every way out (q, Ctrl-C, a crash, SIGTERM/SIGHUP over a
 * dropped SSH link).
 */
import React from 'react';
import { render } from 'ink';
import { App } from './App.js';
import { createRealServices } from './services-real.js';
import type { CommandContext } from '../commands/context.js';
import { ConfigError, isToolError } from '../core/errors.js';

const ENTER_ALT = '\u001B[?1049h\u001B[H';
const LEAVE_ALT = '\u001B[?1049l';

export async function runTui(ctx: CommandContext): Promise<number> {
  let settings;
  try {
    settings = ctx.settings();
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
  const reloadServices = () => createRealServices(ctx.settings({}, { fresh: true }));
  const instance = render(<App services={services} reloadServices={reloadServices} />, { exitOnCtrlC: false, patchConsole: true });
  try {
    await instance.waitUntilExit();
  } finally {
    restore();
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
  return 0;
}
