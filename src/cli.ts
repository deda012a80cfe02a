/**
 * connector-db's entry: parse argv, run a subcommand, or open the TUI.
 * The only module that decides the exit code and calls process.exit.
 * Exit codes: 0 success, 1 a failure the tool explains, 2 bad usage or settings.
 */
import { Command, CommanderError, Option } from 'commander';
import { ToolError, ConfigError } from './core/errors.js';
import { setDefaultEchoSink } from './core/db/echo.js';
import { packageVersion } from './core/system/package-root.js';
import { COMMANDS } from './commands/index.js';
import { createContext, type CommandContext, type GlobalOptions } from './commands/context.js';
import { colourWanted } from './commands/output.js';
import type { Handler } from './commands/registry.js';
import { unknownCommandMessage } from './commands/unknown-command.js';

interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

/** What parsing found beyond the exit code: a command group run without one of its subcommands. */
export interface ParseState {
  exitCode: number;
  missingSubcommand?: Command;
}

export function buildProgram(io: Io, env: Record<string, string | undefined>, state: ParseState): Command {
  const program = new Command('connector-db');
  // Commander answers a group without its subcommand (`migrate`) with the group's help
  // on stderr and "help" as the outcome. Note which group it was so main() can make it a
  // usage error (exit 2); with --json the help is not written at all, so that the JSON
  // document alone says what went wrong.
  let helpMuted = false;
  program
    .description("The midPilot Connector Generator's PostgreSQL database, from a terminal: connect, diagnose, set up, migrate, back up, restore, reset, query.")
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help (every command has its own --help)')
    .addOption(new Option('--env-file <path>', 'read settings from this .env file instead of ./.env'))
    .addOption(new Option('--url <url>', 'database URL (overrides DATABASE__URL and the parts)'))
    .addOption(new Option('--profile <name>', 'use this saved profile (default: the active one)'))
    .addOption(new Option('--migrations-dir <dir>', 'folder of migration files (default: the shipped sql-migrations)'))
    .option('--json', 'print one JSON document on stdout, nothing else')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => (helpMuted ? true : io.stderr.write(s)),
      outputError: (s, write) => write(`connector-db: ${s.replace(/^error: /, '')}`),
    });

  const action =
    (handler: Handler) =>
    async (...commanderArgs: unknown[]): Promise<void> => {
      const command = commanderArgs[commanderArgs.length - 1] as Command;
      const opts = ownOptions(command);
      const globals = command.optsWithGlobals() as GlobalOptions;
      const args = commanderArgs.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a : a === undefined ? [] : [String(a)]));
      const { resolveSettings } = await import('./core/config/resolve.js');
      const ctx = createContext(globals, io, env, colourWanted(io.stdout, env, globals.color !== false), resolveSettings);
      // DATABASE__ECHO: every statement on stderr, so stdout (and --json) stays clean.
      setDefaultEchoSink((line) => ctx.out.note(line));
      if (globals.url && /^[a-z0-9+]+:\/\/[^/@]*:[^@]*@|[?&]password=/i.test(globals.url)) {
        ctx.out.note('connector-db: warning: the password in --url is visible to every user of this machine in the process list (ps, /proc/PID/cmdline); put it in DATABASE__URL, .env or ~/.pgpass instead');
      }
      state.exitCode = await runHandler(ctx, handler, { args, opts });
    };

  program.on('beforeAllHelp', (help: { error: boolean; command: Command }) => {
    if (!help.error) return;
    state.missingSubcommand = help.command;
    helpMuted = (help.command.optsWithGlobals() as GlobalOptions).json === true;
  });
  program.on('afterAllHelp', () => {
    helpMuted = false;
  });

  for (const module of COMMANDS) module.register(program, action);
  // Subcommands inherit the output settings so their own errors look the same.
  for (const sub of program.commands) inherit(sub, program);
  return program;
}

/**
 * A subcommand's options. Commander lets a parent consume an option the
 * subcommand also declares when it follows the subcommand's name
 * (`backup prune --keep 2`, `backup list --dir D`): take those back from the
 * parent when the subcommand itself only has its default.
 */
function ownOptions(command: Command): Record<string, unknown> {
  const opts = { ...command.opts() };
  const parent = command.parent;
  if (!parent || !parent.parent) return opts;
  for (const option of command.options) {
    const key = option.attributeName();
    const mine = command.getOptionValueSource(key);
    if ((mine === undefined || mine === 'default') && parent.getOptionValueSource(key) === 'cli') opts[key] = parent.getOptionValue(key);
  }
  return opts;
}

function inherit(command: Command, parent: Command): void {
  command.exitOverride().configureOutput(parent.configureOutput()).showSuggestionAfterError(true);
  for (const sub of command.commands) inherit(sub, command);
}

async function runHandler(ctx: CommandContext, handler: Handler, input: Parameters<Handler>[1]): Promise<number> {
  try {
    return (await handler(ctx, input)) ?? 0;
  } catch (error) {
    return reportFailure(ctx, error);
  }
}

/** A ToolError is one explained line (config errors: one line per bad value); anything else is a bug, still one line. */
function reportFailure(ctx: CommandContext, error: unknown): number {
  const { out } = ctx;
  if (error instanceof ToolError) {
    if (ctx.globals.json) {
      out.document({ ok: false, error: { code: error.code, message: error.message, evidence: error.evidence, fixes: error.fixes } });
    } else {
      const lines = error instanceof ConfigError ? error.problems : [`${error.code}: ${error.message}`];
      for (const line of lines) out.note(`connector-db: ${line}`);
      if (!(error instanceof ConfigError)) {
        for (const ev of error.evidence) out.note(`  ${out.palette.dim(ev)}`);
        for (const fix of error.fixes) out.note(`  fix: ${fix}`);
      }
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (ctx.globals.json) out.document({ ok: false, error: { code: 'internal', message } });
  else out.note(`connector-db: internal error: ${message} (set CONNECTOR_DB_DEBUG=1 for the stack)`);
  if (ctx.env.CONNECTOR_DB_DEBUG && error instanceof Error && error.stack) out.note(error.stack);
  return 1;
}

/** The screens need a real terminal both ways and cursor movement. */
function canOpenTui(io: Io, env: Record<string, string | undefined>): { ok: true } | { ok: false; why: string } {
  if (!io.stdin.isTTY || !io.stdout.isTTY) return { ok: false, why: 'stdin or stdout is not a terminal' };
  if (env.TERM === 'dumb') return { ok: false, why: 'TERM=dumb has no cursor movement' };
  return { ok: true };
}

function subcommandNames(group: Command): string {
  return group.commands
    .map((c) => c.name())
    .filter((n) => n !== 'help')
    .join(', ');
}

/** "migrate needs a subcommand: current, history, ..." (the help above it says what each does). */
function missingSubcommandMessage(group: Command): string {
  const path: string[] = [];
  for (let c: Command | null = group; c?.parent; c = c.parent) path.unshift(c.name());
  return `${path.join(' ')} needs a subcommand: ${subcommandNames(group)}`;
}

function usageFailure(io: Io, json: boolean, message: string, textTail = ''): number {
  if (json) io.stdout.write(JSON.stringify({ ok: false, error: { code: 'usage', message } }) + '\n');
  else io.stderr.write(`connector-db: ${message}${textTail}\n`);
  return 2;
}

export async function main(argv: string[], io: Io = process, env: Record<string, string | undefined> = process.env): Promise<number> {
  const state: ParseState & { wantsTui: boolean } = { exitCode: 0, wantsTui: false };
  const program = buildProgram(io, env, state);
  // No subcommand: the screens when a person is at a terminal, else help.
  program.action(() => {
    state.wantsTui = true;
  });
  const words = argv.slice(2);
  const misspelt = unknownCommandMessage(program, words);
  if (misspelt) return usageFailure(io, words.includes('--json'), misspelt);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.help' && error.exitCode !== 0 && state.missingSubcommand) {
        return usageFailure(io, words.includes('--json'), missingSubcommandMessage(state.missingSubcommand), ' (see the list above)');
      }
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      if (words.includes('--json')) io.stdout.write(JSON.stringify({ ok: false, error: { code: 'usage', message: error.message.replace(/^error: /, '') } }) + '\n');
      return 2;
    }
    throw error;
  }
  if (!state.wantsTui) return state.exitCode;
  const globals = program.opts() as GlobalOptions;
  // --json is for scripts: there is no screen to open and help is not a JSON document.
  if (globals.json) return usageFailure(io, true, `--json needs a command: ${subcommandNames(program)}`);
  const tui = canOpenTui(io, env);
  if (!tui.ok) {
    io.stdout.write(program.helpInformation());
    io.stderr.write(`\nconnector-db: the screens did not open (${tui.why}); use the commands above.\n`);
    return 0;
  }
  return openTui(globals, io, env);
}

async function openTui(globals: GlobalOptions, io: Io, env: Record<string, string | undefined>): Promise<number> {
  const colour = colourWanted(io.stdout, env, globals.color !== false);
  // Ink's colour detection ignores NO_COLOR; FORCE_COLOR=0 must be set before ink (and chalk) load.
  if (!colour) process.env.FORCE_COLOR = '0';
  const { resolveSettings } = await import('./core/config/resolve.js');
  const ctx = createContext(globals, io, env, colour, resolveSettings);
  const { runTui } = await import('./app/run-tui.js');
  return runTui(ctx);
}

/** Called by bin/connector-db: run, then exit with the code (closing any handle a command forgot). */
export function start(): void {
  main(process.argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`connector-db: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
