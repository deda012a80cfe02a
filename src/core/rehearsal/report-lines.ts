/**
 * A rehearsal's outcome as lines for people, each with a tone (the command
 * colours them with its palette, the screen with its theme), so both faces
 * say exactly the same thing.
 */
import type { RehearsalResult, RehearsalStep } from './rehearse.js';

export type Tone = 'plain' | 'bold' | 'ok' | 'warn' | 'error' | 'muted';

export interface ReportLine {
  tone: Tone;
  text: string;
}

function duration(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "  up       002_note                     3 ms   public.jobs AccessExclusive" */
export function stepLine(step: RehearsalStep): string {
  const locks = step.locks === null ? 'locks not captured (runs without a transaction)' : step.locks.length === 0 ? 'no table locks' : step.locks.map((l) => `${l.relation} ${l.mode.replace(/Lock$/, '')}`).join(', ');
  return `  ${step.pass.padEnd(9)}${step.name.padEnd(32)}${duration(step.durationMs).padStart(9)}   ${locks}`;
}

export function reportLines(result: RehearsalResult): ReportLine[] {
  if (result.pending.length === 0) return [{ tone: 'plain', text: `Nothing pending in ${result.source}: nothing to rehearse.` }];
  const out: ReportLine[] = [];
  out.push({ tone: 'bold', text: `Rehearsal of ${result.pending.join(', ')} on a copy of ${result.source} (${result.method === 'template' ? 'CREATE DATABASE … TEMPLATE' : 'from a fresh backup'})` });
  for (const step of result.steps) out.push({ tone: 'plain', text: stepLine(step) });
  for (const m of result.mismatches) {
    out.push({ tone: 'error', text: `✗ ${m.name}: its down does not reverse its up:` });
    for (const d of m.differences) out.push({ tone: 'error', text: `    ${d}` });
  }
  if (result.failure) {
    out.push({ tone: 'error', text: `✗ ${result.failure.pass} ${result.failure.id ?? ''} failed on the copy: ${result.failure.message}` });
    for (const e of result.failure.evidence) out.push({ tone: 'muted', text: `    ${e}` });
  }
  for (const s of result.steps.filter((x) => x.pass === 'up' && x.blocksExisting.length > 0)) {
    out.push({ tone: 'warn', text: `! ${s.name} takes an AccessExclusiveLock on ${s.blocksExisting.join(', ')}: every read and write of it waits while it runs (${duration(s.durationMs)} here; longer with more rows).` });
  }
  if (result.ok) out.push({ tone: 'ok', text: '✓ every migration went up, down and up again; each down reversed its up.' });
  out.push({ tone: 'muted', text: `The copy ${result.scratch} was dropped; ${result.source} was only read.` });
  for (const l of result.leftovers) out.push({ tone: 'warn', text: `note: ${l} is a copy an earlier rehearsal left behind: DROP DATABASE "${l}";` });
  return out;
}
