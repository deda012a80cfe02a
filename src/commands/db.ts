/** The engine's database settings for a command: resolved settings plus DATABASE__ECHO to stderr. */
import type { DbSettings, OpenOptions } from '../core/db/connect.js';
import type { CommandContext } from './context.js';
import type { Settings } from '../core/config/resolve.js';

export function dbSettingsOf(settings: Settings): DbSettings {
  return { target: settings.target, connectTimeout: settings.connectTimeout, poolSize: settings.poolSize, maxOverflow: settings.maxOverflow, echo: settings.echo };
}

/** Options for openClient/withClient: echo lines go to stderr so --json stdout stays one document. */
export function openOptionsOf(ctx: CommandContext): OpenOptions {
  return { echoSink: (line) => ctx.out.note(line) };
}
