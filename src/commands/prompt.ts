/**
 * Questions a command may ask a person: yes/no, a typed confirmation (the
 * database name before anything destructive), a secret (never echoed,
 * not even its length), a URL that may hold a password (drawn masked).
 * Asked on stderr so stdout stays clean; without a terminal the caller must
 * have been given --yes (or the answer as a flag), else this refuses.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { ToolError } from '../core/errors.js';
import type { CommandContext } from './context.js';

function requireTerminal(ctx: CommandContext, what: string, flag: string): void {
  if (!ctx.interactive) throw new ToolError('usage', `${what} needs a person at a terminal; pass ${flag} to proceed without asking`, { exitCode: 2 });
}

interface AskOptions {
  /** Nothing of the answer is drawn, not even its length. */
  secret?: boolean;
  /** The answer is drawn only through this (e.g. a URL with its password as ****). */
  mask?: (answer: string) => string;
}

/**
 * For a secret or masked answer readline draws nothing itself: it redraws
 * the whole line in clear on a backspace or an edit inside the line, and
 * its cursor moves would tell the length. We draw the prompt (and the
 * masked answer) ourselves, on stderr.
 */
function quietOutput(question: string, mask: ((answer: string) => string) | undefined, line: () => string, stringWidth: (text: string) => number): Writable {
  const stderr = process.stderr;
  let drawn = '';
  let rows = 1;
  stderr.write(question);
  return new Writable({
    write(_chunk, _encoding, done) {
      if (mask) {
        const text = question + mask(line());
        if (text !== drawn) {
          // Back to the first row of what was drawn, clear to the end of the screen, draw again.
          stderr.write(`${rows > 1 ? `\u001B[${rows - 1}A` : ''}\r\u001B[J${text}`);
          drawn = text;
          rows = Math.max(1, Math.ceil(stringWidth(text) / (stderr.columns || 80)));
        }
      }
      done();
    },
  });
}

async function ask(ctx: CommandContext, question: string, options: AskOptions = {}): Promise<string> {
  const stderr = process.stderr;
  const quiet = options.secret === true || options.mask !== undefined;
  const holder: { rl?: readline.Interface } = {};
  // string-width builds an Intl.Segmenter when loaded (~20 ms): only a masked prompt measures, so only it pays.
  const output = quiet ? quietOutput(question, options.mask, () => holder.rl?.line ?? '', (await import('string-width')).default) : stderr;
  const rl = readline.createInterface({ input: ctx.stdin, output, terminal: true });
  holder.rl = rl;
  let onClose: (() => void) | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.question(quiet ? '' : question, resolve);
      rl.once('SIGINT', () => reject(new ToolError('cancelled', 'cancelled at the prompt', { exitCode: 1 })));
      onClose = () => reject(new ToolError('cancelled', 'no answer (input closed)', { exitCode: 1 }));
      rl.once('close', onClose);
    });
  } finally {
    if (quiet) stderr.write('\n');
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

/** A line of text; with `mask`, drawn only through it as it is typed (a URL that may hold a password). */
export async function askText(ctx: CommandContext, question: string, fallback: string | undefined, flag: string, options: { mask?: (answer: string) => string } = {}): Promise<string> {
  requireTerminal(ctx, 'this question', flag);
  const answer = (await ask(ctx, fallback ? `${question} [${fallback}] ` : `${question} `, options)).trim();
  return answer === '' && fallback !== undefined ? fallback : answer;
}
