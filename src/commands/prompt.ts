/**
 * Questions a command may ask a person: yes/no, a typed confirmation (the
 * database name before anything destructive), a secret (never echoed).
 * Asked on stderr so stdout stays clean; without a terminal the caller must
 * have been given --yes (or the answer as a flag), else this refuses.
 */
import readline from 'node:readline';
import { ToolError } from '../core/errors.js';
import type { CommandContext } from './context.js';

function requireTerminal(ctx: CommandContext, what: string, flag: string): void {
  if (!ctx.interactive) throw new ToolError('usage', `${what} needs a person at a terminal; pass ${flag} to proceed without asking`, { exitCode: 2 });
}

async function ask(ctx: CommandContext, question: string, options: { secret?: boolean } = {}): Promise<string> {
  const stderr = process.stderr;
  const rl = readline.createInterface({ input: ctx.stdin, output: stderr, terminal: true });
  if (options.secret) {
    // Mute the echo of typed characters; readline still handles editing keys.
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.includes(question)) write.call(rl, s);
    };
  }
  let onClose: (() => void) | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.question(question, resolve);
      rl.once('SIGINT', () => reject(new ToolError('cancelled', 'cancelled at the prompt', { exitCode: 1 })));
      onClose = () => reject(new ToolError('cancelled', 'no answer (input closed)', { exitCode: 1 }));
      rl.once('close', onClose);
    });
  } finally {
    if (options.secret) stderr.write('\n');
    // Remove only our handler: readline's own 'close' handler detaches it from
    // stdin; without it this interface would keep echoing the next prompt's
    // keys (a password typed at a later secret prompt would show).
    if (onClose) rl.off('close', onClose);
    rl.close();
  }
}

/** y/N question (Y/n with `defaultYes`); `--yes` (passed as `assumeYes`) answers yes without asking. */
export async function confirm(ctx: CommandContext, question: string, assumeYes: boolean, options: { defaultYes?: boolean } = {}): Promise<boolean> {
  if (assumeYes) return true;
  requireTerminal(ctx, 'this confirmation', '--yes');
  const answer = (await ask(ctx, `${question} ${options.defaultYes ? '[Y/n]' : '[y/N]'} `)).trim().toLowerCase();
  if (answer === '') return options.defaultYes === true;
  return answer === 'y' || answer === 'yes';
}

/** The person must type `expected` exactly (e.g. the database name) before something destructive. */
export async function confirmTyped(ctx: CommandContext, question: string, expected: string, assumeYes: boolean): Promise<boolean> {
  if (assumeYes) return true;
  requireTerminal(ctx, 'this confirmation', '--yes');
  const answer = await ask(ctx, `${question}\nType ${JSON.stringify(expected)} to go on: `);
  return answer.trim() === expected;
}

/** A password or other secret: not echoed, never logged. */
export async function askSecret(ctx: CommandContext, question: string, flag: string): Promise<string> {
  requireTerminal(ctx, 'a password prompt', flag);
  return ask(ctx, question, { secret: true });
}

export async function askText(ctx: CommandContext, question: string, fallback: string | undefined, flag: string): Promise<string> {
  requireTerminal(ctx, 'this question', flag);
  const answer = (await ask(ctx, fallback ? `${question} [${fallback}] ` : `${question} `)).trim();
  return answer === '' && fallback !== undefined ? fallback : answer;
}
