/** The doctor's report as text: one line per check as it finishes, and for a failure its reason, evidence and fixes. */
import type { CheckResult, DoctorReport } from '../core/diagnostics/check-types.js';
import type { Output } from './output.js';

const MARKS = { passed: '✓', failed: '✗', warning: '!', skipped: '–' } as const;

export function printCheck(out: Output, check: CheckResult, titleWidth: number): void {
  const p = out.palette;
  const colour = { passed: p.green, failed: p.red, warning: p.yellow, skipped: p.dim }[check.status];
  const mark = colour(MARKS[check.status]);
  const title = check.title.padEnd(titleWidth);
  if (check.status === 'passed' || check.status === 'skipped') {
    out.line(`${mark} ${check.status === 'skipped' ? p.dim(title) : title}  ${p.dim(check.message)}`);
    return;
  }
  out.line(`${mark} ${p.bold(title)}  ${colour(check.code ?? check.status)}`);
  out.line(`    ${check.message}`);
  check.evidence.forEach((e, i) => out.line(`    ${p.dim(i === 0 ? 'evidence' : '        ')}  ${p.dim(e)}`));
  check.fixes.forEach((f, i) => out.line(`    ${i === 0 ? p.cyan('fix') + '     ' : '        '}  ${f}`));
  const doable = check.actions.filter((a) => a.id !== 'retry');
  if (doable.length > 0) out.line(`    ${p.dim('the Doctor screen can')} ${doable.map((a) => a.label + (a.needsAdmin ? ' (with an admin login)' : '')).join('; ')}`);
}

export function printSummary(out: Output, report: DoctorReport): void {
  const count = (s: CheckResult['status']) => report.checks.filter((c) => c.status === s).length;
  const p = out.palette;
  const parts = [`${count('passed')} passed`];
  if (count('failed')) parts.push(p.red(`${count('failed')} failed`));
  if (count('warning')) parts.push(p.yellow(`${count('warning')} warning${count('warning') === 1 ? '' : 's'}`));
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  out.line();
  out.line(parts.join(', '));
}

export function titleWidth(titles: string[]): number {
  return Math.max(...titles.map((t) => t.length));
}
