/**
 * A real terminal for end-to-end tests: tmux on a private socket, an 80x24
 * pane running the built bin/connector-db, keys sent with send-keys and the
 * screen read with capture-pane. CI is removed from the environment: with
 * CI=true Ink draws nothing until exit.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const BIN = path.resolve(import.meta.dirname, '../../bin/connector-db');

export class TmuxSession {
  private readonly socket = `cdb-e2e-${randomBytes(4).toString('hex')}`;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-tmux-'));
  readonly exitFile = path.join(this.dir, 'exit-code');

  /** Start `args` (after bin/connector-db) in an 80x24 pane with `env` added; cwd defaults to a temp folder. */
  start(args: string[], env: Record<string, string>, options: { cwd?: string; width?: number; height?: number } = {}): void {
    const script = path.join(this.dir, 'run.sh');
    const exports = Object.entries(env)
      .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
      .join('\n');
    writeFileSync(
      script,
      `#!/bin/sh\nunset CI GITHUB_ACTIONS\nexport TERM=xterm-256color\n${exports}\ncd ${shellQuote(options.cwd ?? this.dir)}\n${shellQuote(BIN)} ${args.map(shellQuote).join(' ')}\necho $? > ${shellQuote(this.exitFile)}\nsleep 600\n`,
      { mode: 0o700 },
    );
    this.tmux(['new-session', '-d', '-s', 'e2e', '-x', String(options.width ?? 80), '-y', String(options.height ?? 24), script]);
  }

  /** The visible screen; with `escapes`, including colour and attribute codes. */
  capture(options: { escapes?: boolean } = {}): string {
    return this.tmux(['capture-pane', '-p', ...(options.escapes ? ['-e'] : []), '-t', 'e2e']);
  }

  /** Keys in tmux's names: 'q', '?', 'Enter', 'Escape', 'Down', 'C-c'. */
  send(...keys: string[]): void {
    this.tmux(['send-keys', '-t', 'e2e', ...keys]);
  }

  /** Home's menu: Down to each item in turn, each seen selected (`› item`) before the next key. */
  async downThrough(items: string[]): Promise<void> {
    for (const item of items) {
      this.send('Down');
      await this.waitFor(`› ${item}`);
    }
  }

  /** Resize the window, as a person dragging its corner (or an SSH client's window) would. */
  resize(width: number, height: number): void {
    this.tmux(['resize-window', '-t', 'e2e', '-x', String(width), '-y', String(height)]);
  }

  /** Type literal text (no key-name interpretation). */
  type(text: string): void {
    // tmux reads a trailing ";" as its own command separator; escaped, it is typed.
    this.tmux(['send-keys', '-t', 'e2e', '-l', text.endsWith(';') ? text.slice(0, -1) + '\\;' : text]);
  }

  async waitFor(test: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const started = Date.now();
    const ok = typeof test === 'function' ? test : (s: string) => (typeof test === 'string' ? s.includes(test) : test.test(s));
    let screen = '';
    while (Date.now() - started < timeoutMs) {
      screen = this.capture();
      if (ok(screen)) return screen;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(test)}; the screen was:\n${screen}`);
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (existsSync(this.exitFile)) {
        const text = readFileSync(this.exitFile, 'utf8').trim();
        if (text !== '') return Number(text);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the program did not exit within ${timeoutMs} ms; the screen was:\n${this.capture()}`);
  }

  kill(): void {
    try {
      this.tmux(['kill-server']);
    } catch {
      // already gone
    }
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
