import { describe, expect, it } from 'vitest';
import { planRetention, policyProblem, type RetentionEntry } from '../../src/core/backups/retention.js';
import { cronLine, cronQuote, scheduleProblem } from '../../src/core/backups/cron-line.js';

const now = new Date('2026-05-10T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
function entry(name: string, ageDays: number, fields: Partial<RetentionEntry> = {}): RetentionEntry {
  return { file: name, path: `/b/${name}`, schemaOnly: false, takenAt: daysAgo(ageDays), database: 'connector_db', status: 'ok', ...fields };
}
const files = (list: { entry: RetentionEntry }[]) => list.map((d) => d.entry.file);

describe('planRetention', () => {
  const five = [entry('d0', 0), entry('d1', 1), entry('d2', 2), entry('d3', 3), entry('d4', 4)];

  it('--keep N keeps exactly the newest N and removes the rest, oldest last', () => {
    const plan = planRetention(five, { keep: 2 }, { now, database: 'connector_db' });
    expect(files(plan.keep)).toEqual(['d0', 'd1']);
    expect(files(plan.remove)).toEqual(['d2', 'd3', 'd4']);
    expect(plan.remove[0]!.reason).toBe('older than the newest 2');
  });

  it('--keep-days D keeps what is younger; the newest is kept even when older than D', () => {
    expect(files(planRetention(five, { keepDays: 2.5 }, { now, database: 'connector_db' }).keep)).toEqual(['d0', 'd1', 'd2']);
    const stale = [entry('old1', 40), entry('old2', 50)];
    const plan = planRetention(stale, { keepDays: 7 }, { now, database: 'connector_db' });
    expect(plan.keep).toEqual([{ entry: stale[0], reason: 'the newest backup is always kept' }]);
    expect(files(plan.remove)).toEqual(['old2']);
  });

  it('the newest whole backup survives even when only broken files are newer', () => {
    const list = [entry('broken', 0, { status: 'checksum_mismatch' }), entry('good', 5), entry('older', 6)];
    const plan = planRetention(list, { keepDays: 1 }, { now, database: 'connector_db' });
    expect(files(plan.keep)).toEqual(['good']);
    expect(files(plan.remove)).toEqual(['older']);
    expect(plan.untouched).toEqual([{ entry: list[0], reason: 'checksum mismatch: not removed without --include-unverified' }]);
  });

  it('files without a valid manifest are never removed unless asked; when asked, by the same policy', () => {
    const list = [entry('a', 0), entry('b', 1), entry('nomani', 3, { status: 'no_manifest' }), entry('c', 2), entry('fresh-nomani', 0.5, { status: 'no_manifest' })];
    const untouched = planRetention(list, { keep: 1 }, { now, database: 'connector_db' });
    expect(files(untouched.remove)).toEqual(['b', 'c']);
    expect(files(untouched.untouched)).toEqual(['fresh-nomani', 'nomani']);
    const asked = planRetention(list, { keep: 1 }, { now, database: 'connector_db', includeUnverified: true });
    // Asked: judged like the others (older than the newest 1 kept), never counted as kept.
    expect(files(asked.remove)).toEqual(['fresh-nomani', 'b', 'c', 'nomani']);
    expect(files(asked.keep)).toEqual(['a']);
    const days = planRetention(list, { keepDays: 0.9 }, { now, database: 'connector_db', includeUnverified: true });
    expect(files(days.keep)).toEqual(['a', 'fresh-nomani']);
  });

  it('schema-only backups are their own series; other databases are left alone', () => {
    const list = [entry('s0', 0, { schemaOnly: true }), entry('s1', 1, { schemaOnly: true }), entry('f0', 2), entry('f1', 3), entry('other', 9, { database: 'other_db' })];
    const plan = planRetention(list, { keep: 1 }, { now, database: 'connector_db' });
    expect(files(plan.keep)).toEqual(['s0', 'f0']);
    expect(files(plan.remove)).toEqual(['s1', 'f1']);
    expect(plan.untouched).toEqual([{ entry: list[4], reason: 'a backup of another database (other_db)' }]);
    // A file nothing ties to a database (stray.sql, no manifest) is never removed, even with --include-unverified.
    const stray = { ...entry('stray.sql', 400, { status: 'no_manifest' as const }), database: undefined };
    const withStray = planRetention([entry('f0', 0), stray], { keep: 1 }, { now, database: 'connector_db', includeUnverified: true });
    expect(withStray.remove).toEqual([]);
    expect(withStray.untouched).toEqual([{ entry: stray, reason: 'neither a manifest nor a backup name says which database it holds: never removed' }]);
  });

  it('refuses a missing, mixed or bad policy', () => {
    expect(policyProblem({})).toBe('say how many to keep: --keep N or --keep-days D');
    expect(policyProblem({ keep: 1, keepDays: 1 })).toBe('use --keep or --keep-days, not both');
    expect(policyProblem({ keep: 0 })).toBe('--keep 0 is invalid; allowed: an integer >= 1');
    expect(() => planRetention([], { keepDays: -1 }, { now, database: 'x' })).toThrow('--keep-days -1 is invalid');
  });
});

describe('cronLine', () => {
  const base = {
    nodePath: '/home/me/.nvm/versions/node/v20.20.2/bin/node',
    binPath: '/opt/connector-db/bin/connector-db',
    cwd: '/srv/connector',
    backupDir: '/srv/connector/backups',
    pgDumpDir: '/usr/lib/postgresql/15/bin',
    settings: [
      { key: 'DATABASE__HOST', source: { kind: 'dotenv' as const, label: '.env line 1' } },
      { key: 'DATABASE__PASSWORD', source: { kind: 'pgpass' as const, label: '~/.pgpass line 2' } },
    ],
  };

  it('absolute paths, pg_dump first on PATH, gzip and the policy, a log beside the backups, no warnings when everything is in files', () => {
    const { line, warnings } = cronLine({ ...base, keep: 7 });
    expect(line).toBe(
      "17 3 * * * cd '/srv/connector' && PATH='/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin' '/home/me/.nvm/versions/node/v20.20.2/bin/node' '/opt/connector-db/bin/connector-db' backup --gzip --keep 7 --dir '/srv/connector/backups' >> '/srv/connector/backups/connector-db-cron.log' 2>&1",
    );
    expect(warnings).toEqual([]);
  });

  it('names every setting cron would not see, the password first of all, and never prints it', () => {
    const { line, warnings } = cronLine({
      ...base,
      keepDays: 14,
      envFile: '/etc/connector/prod.env',
      profile: 'prod',
      settings: [
        { key: 'DATABASE__PASSWORD', source: { kind: 'env', label: 'env', variable: 'DATABASE__PASSWORD' } },
        { key: 'DATABASE__HOST', source: { kind: 'url', label: 'DATABASE__URL (env)' } },
        { key: 'DATABASE__PORT', source: { kind: 'dotenv', label: 'prod.env line 2' } },
      ],
    });
    expect(line).toContain("--env-file '/etc/connector/prod.env' --profile 'prod' backup --gzip --keep-days 14");
    expect(warnings).toEqual([
      'DATABASE__PASSWORD comes from env, which cron does not have: put it in ~/.pgpass (mode 0600) or in /etc/connector/prod.env (mode 0600).',
      'DATABASE__HOST comes from DATABASE__URL (env), which cron does not have: put it in /etc/connector/prod.env or a saved profile.',
    ]);
  });

  it('custom format and schema only carry into the line; a scheduled backup is never plain text', () => {
    expect(cronLine({ ...base, keep: 3, custom: true }).line).toContain(" backup --format custom --keep 3 --dir '/srv/connector/backups' ");
    expect(cronLine({ ...base, keep: 3, schemaOnly: true }).line).toContain(' backup --gzip --schema-only --keep 3 ');
  });

  it('warns when nothing limits the folder, and quotes for sh and cron', () => {
    expect(cronLine(base).warnings).toContain('No --keep or --keep-days: every backup is kept and the folder grows without end.');
    expect(cronQuote("/it's 100%")).toBe("'/it'\\''s 100\\%'");
    expect(() => cronLine({ ...base, schedule: 'daily' })).toThrow('not a crontab schedule');
  });

  it('checks a schedule as cron would: ranges, lists, steps, names and macros', () => {
    for (const ok of ['17 3 * * *', '*/15 0-6,22-23 * * mon-fri', '0 4 1 jan,jul 0', '30 2 * * 7', '@daily', '@hourly']) expect(scheduleProblem(ok), ok).toBeNull();
    expect(scheduleProblem('a b c d e')).toBe('"a" in the minute field is out of range (allowed: 0-59, *, lists and /steps)');
    expect(scheduleProblem('61 * * * *')).toContain('"61" in the minute field is out of range');
    expect(scheduleProblem('* 24 * * *')).toContain('"24" in the hour field');
    expect(scheduleProblem('*/0 * * * *')).toBe('"*/0" in the minute field has a bad step (allowed: /N with N >= 1)');
    expect(scheduleProblem('5-1 * * * *')).toContain('"5-1" in the minute field is out of range');
    expect(scheduleProblem('0 0 0 * *')).toContain('day of month field');
    expect(scheduleProblem('0 0 * 13 *')).toContain('(allowed: 1-12 or names such as jan');
    expect(scheduleProblem('@sometimes')).toBe('@sometimes is not one of @yearly @annually @monthly @weekly @daily @midnight @hourly @reboot');
    expect(scheduleProblem('0 3 * *')).toBe('five fields are needed: minute hour day month weekday (or a macro such as @daily)');
    expect(cronLine({ ...base, schedule: '@daily' }).line.startsWith('@daily cd ')).toBe(true);
  });

  it('pins the profile and its folder, so a later `profile use` or cron\'s bare environment cannot move the backups', () => {
    const { line } = cronLine({ ...base, keep: 3, profile: 'prod', configDir: '/etc/connector-db' });
    expect(line).toContain(" CONNECTOR_DB_CONFIG_DIR='/etc/connector-db' ");
    expect(line).toContain(" --profile 'prod' backup --gzip --keep 3 ");
  });
});

describe('cronLine: one warning for a URL from the environment, not one per part', () => {
  it('names DATABASE__URL once and a password from PGPASSWORD', () => {
    const { warnings, line } = cronLine({
      nodePath: '/usr/bin/node',
      binPath: '/opt/cdb/bin/connector-db',
      cwd: '/srv/app',
      backupDir: '/srv/app/backups',
      pgDumpDir: '/usr/bin',
      keep: 3,
      settings: [
        { key: 'DATABASE__URL', source: { kind: 'flag', label: 'flag --url' } },
        { key: 'DATABASE__HOST', source: { kind: 'url', label: 'DATABASE__URL (flag --url)' } },
        { key: 'DATABASE__PASSWORD', source: { kind: 'libpq', label: 'PGPASSWORD', variable: 'PGPASSWORD' } },
      ],
    });
    expect(line).toContain("PATH='/usr/bin:/usr/local/bin:/bin'");
    expect(warnings).toEqual([
      'DATABASE__URL comes from flag --url, which cron does not have: put it in /srv/app/.env or a saved profile.',
      'DATABASE__PASSWORD comes from PGPASSWORD, which cron does not have: put it in ~/.pgpass (mode 0600) or in /srv/app/.env (mode 0600).',
    ]);
  });
});
