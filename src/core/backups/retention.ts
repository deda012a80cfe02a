/**
 * Backup retention as a pure plan over the backups listing: which backups
 * a policy (`--keep N` newest, or `--keep-days D`) keeps and which it
 * removes, each with its reason. Rules that hold whatever the policy:
 * - only the target database's backups are considered (others are listed untouched);
 * - full and schema-only backups are separate series (a schema dump is not a backup of the data);
 * - the newest healthy backup of each series is never removed;
 * - a file whose manifest is missing, unreadable or does not match is never
 *   removed and never counts as kept, unless `includeUnverified` asks for it.
 */

/** The fields of a backups-listing entry that retention reads. */
export interface RetentionEntry {
  file: string;
  path: string;
  schemaOnly: boolean;
  takenAt: Date;
  database?: string;
  /** 'ok' and 'unverified' (size checked, checksum skipped) are healthy; anything else is not. */
  status: string;
}

export interface RetentionPolicy {
  /** Keep the newest N healthy backups of each series. */
  keep?: number;
  /** Keep the backups taken in the last D days (the newest is kept whatever its age). */
  keepDays?: number;
}

export interface RetentionOptions {
  now: Date;
  /** The database whose backups are pruned (names in the folder may be other databases'). */
  database: string;
  /** Also remove, by the same policy, files without a valid manifest or whose checksum does not match. */
  includeUnverified?: boolean;
}

export interface RetentionDecision<E extends RetentionEntry> {
  entry: E;
  reason: string;
}

export interface RetentionPlan<E extends RetentionEntry> {
  keep: RetentionDecision<E>[];
  remove: RetentionDecision<E>[];
  /** Not considered at all: another database's, or not verifiable and not asked for. */
  untouched: RetentionDecision<E>[];
}

const DAY_MS = 86_400_000;

export function isHealthyStatus(status: string): boolean {
  return status === 'ok' || status === 'unverified';
}

/** Refuse a policy that is missing, mixed or not a positive number (the command turns this into a usage error). */
export function policyProblem(policy: RetentionPolicy): string | null {
  if (policy.keep === undefined && policy.keepDays === undefined) return 'say how many to keep: --keep N or --keep-days D';
  if (policy.keep !== undefined && policy.keepDays !== undefined) return 'use --keep or --keep-days, not both';
  if (policy.keep !== undefined && (!Number.isInteger(policy.keep) || policy.keep < 1)) return `--keep ${policy.keep} is invalid; allowed: an integer >= 1`;
  if (policy.keepDays !== undefined && (!Number.isFinite(policy.keepDays) || policy.keepDays <= 0)) return `--keep-days ${policy.keepDays} is invalid; allowed: a number of days > 0`;
  return null;
}

export function planRetention<E extends RetentionEntry>(entries: E[], policy: RetentionPolicy, options: RetentionOptions): RetentionPlan<E> {
  const problem = policyProblem(policy);
  if (problem) throw new RangeError(problem);
  const plan: RetentionPlan<E> = { keep: [], remove: [], untouched: [] };
  const mine = entries.filter((e) => {
    // A file whose database cannot be told (no manifest, not named like a backup: stray.sql, a hand-made dump) is nobody's to remove.
    if (e.database === undefined) {
      plan.untouched.push({ entry: e, reason: 'neither a manifest nor a backup name says which database it holds: never removed' });
      return false;
    }
    if (e.database !== options.database) {
      plan.untouched.push({ entry: e, reason: `a backup of another database (${e.database})` });
      return false;
    }
    return true;
  });
  for (const schemaOnly of [false, true]) {
    const series = mine.filter((e) => e.schemaOnly === schemaOnly).sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
    planSeries(series, policy, options, schemaOnly ? 'schema-only backup' : 'backup', plan);
  }
  const newestFirst = (a: RetentionDecision<E>, b: RetentionDecision<E>) => b.entry.takenAt.getTime() - a.entry.takenAt.getTime();
  plan.keep.sort(newestFirst);
  plan.remove.sort(newestFirst);
  plan.untouched.sort(newestFirst);
  return plan;
}

function planSeries<E extends RetentionEntry>(series: E[], policy: RetentionPolicy, options: RetentionOptions, noun: string, plan: RetentionPlan<E>): void {
  const healthy = series.filter((e) => isHealthyStatus(e.status));
  const newest = healthy[0];
  const cutoff = policy.keepDays !== undefined ? options.now.getTime() - policy.keepDays * DAY_MS : undefined;
  // The oldest healthy backup the policy keeps: unverified files (when asked) older than it go too.
  let oldestKept: Date | undefined;
  healthy.forEach((e, i) => {
    const inPolicy = policy.keep !== undefined ? i < policy.keep : e.takenAt.getTime() >= (cutoff as number);
    if (inPolicy || e === newest) {
      const why = e === newest && !inPolicy ? `the newest ${noun} is always kept` : policy.keep !== undefined ? `one of the newest ${policy.keep}` : `taken within ${policy.keepDays} day${policy.keepDays === 1 ? '' : 's'}`;
      plan.keep.push({ entry: e, reason: why });
      oldestKept = e.takenAt;
    } else {
      plan.remove.push({ entry: e, reason: policy.keep !== undefined ? `older than the newest ${policy.keep}` : `older than ${policy.keepDays} day${policy.keepDays === 1 ? '' : 's'}` });
    }
  });
  for (const e of series.filter((x) => !isHealthyStatus(x.status))) {
    if (!options.includeUnverified) {
      plan.untouched.push({ entry: e, reason: `${e.status.replace(/_/g, ' ')}: not removed without --include-unverified` });
      continue;
    }
    const tooOld = cutoff !== undefined ? e.takenAt.getTime() < cutoff : oldestKept !== undefined && e.takenAt.getTime() < oldestKept.getTime();
    if (tooOld) plan.remove.push({ entry: e, reason: `${e.status.replace(/_/g, ' ')} and older than what the policy keeps` });
    else plan.keep.push({ entry: e, reason: `${e.status.replace(/_/g, ' ')}, but not older than what the policy keeps` });
  }
}
