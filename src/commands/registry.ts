/**
 * The shape every command module has: `register(program, action)` declares
 * its words and options (cheap), and its handler loads the engine lazily so
 * that start-up stays fast for every other command.
 */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';

export interface CommandInput {
  /** Positional arguments, in order. */
  args: string[];
  /** This command's own options (globals are on ctx.globals). */
  opts: Record<string, unknown>;
}

/** Returns the exit code (0 when omitted). Throw a ToolError to fail with one explained line. */
export type Handler = (ctx: CommandContext, input: CommandInput) => Promise<number | void>;

export type ActionFactory = (handler: Handler) => (...commanderArgs: unknown[]) => Promise<void>;

export interface CommandModule {
  register(program: Command, action: ActionFactory): void;
}
