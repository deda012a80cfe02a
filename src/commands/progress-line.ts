/**
 * Progress of a long run on stderr: one line redrawn in place on a
 * terminal; on a pipe or a log file, a plain line every 10 % (or every
 * 10 s when the percentage is unknown) so logs stay short and readable.
 */
import { formatBytes, formatDuration, textBar } from '../core/format-units.js';

export interface ProgressState {
  fraction?: number;
  bytes: number;
  elapsedMs: number;
  activity: string;
}

export class ProgressLine {
  private lastPlainStep = -1;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly label: string,
  ) {}

  update(state: ProgressState): void {
    if (this.stream.isTTY) {
      const width = Math.max(40, this.stream.columns ?? 80);
      this.stream.write(`\r\u001B[K${fit(this.render(state, true), width - 1)}`);
      this.drawn = true;
      return;
    }
    const step = state.fraction !== undefined ? Math.floor(state.fraction * 10) : Math.floor(state.elapsedMs / 10_000);
    if (step === this.lastPlainStep) return;
    this.lastPlainStep = step;
    this.stream.write(this.render(state, false) + '\n');
  }

  /** Clear the redrawn line (before the final report). */
  done(): void {
    if (this.drawn) this.stream.write('\r\u001B[K');
    this.drawn = false;
  }

  private render(state: ProgressState, withBar: boolean): string {
    const pct = state.fraction !== undefined ? `${String(Math.floor(state.fraction * 100)).padStart(3)}%` : ' ...';
    const bar = withBar && state.fraction !== undefined ? `[${textBar(state.fraction, 20)}] ` : '';
    return `${this.label} ${bar}${pct}  ${formatBytes(state.bytes)}  ${formatDuration(state.elapsedMs)}  ${state.activity}`;
  }
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…';
}
