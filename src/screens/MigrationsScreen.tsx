/**
 * Migrations: every revision with applied / pending / drifted marks and the
 * current pointer; step up one (its SQL shown first, Enter runs it), up to
 * head, down one (its down SQL shown, y runs it), stamp the selected one
 * (asked), view any revision's up or down; progress while it runs, and a
 * failure shown in place with file:line.
 */
import React, { useState } from 'react';
import { Box, Text, useStdout } from 'ink';
import Spinner from 'ink-spinner';
import { useServices, type MigrationMove, type RevisionSqlResult, type ServiceFailure } from '../app/services.js';
import { useKeys } from '../app/keys-context.js';
import { marks, theme } from '../app/theme.js';
import { useMigrations } from '../hooks/use-migrations.js';
import { RevisionList } from '../components/RevisionList.js';
import { SqlPreview } from '../components/SqlPreview.js';
import { FailureView } from '../components/FailureView.js';
import { summarizeStatus } from '../core/migrations/status.js';
import { RehearsalView } from './migrations/RehearsalView.js';
import { useRehearsal } from './migrations/use-rehearsal.js';
import { Busy } from '../components/Busy.js';

interface Action {
  move: MigrationMove;
  label: string;
  key: 'return' | 'y';
}
type Overlay = { kind: 'sql'; id: string; direction: 'up' | 'down'; result: RevisionSqlResult | null; scroll: number; action?: Action } | { kind: 'confirm'; question: string; action: Action };

export function MigrationsScreen() {
  const services = useServices();
  const model = useMigrations(services.migrations);
  const rehearsal = useRehearsal(services.migrations);
  const { stdout } = useStdout();
  const width = Math.max(40, (stdout.columns || 80) - 1);
  const height = Math.max(8, (stdout.rows || 24) - 6);
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  const status = model.load.status === 'ready' ? model.load.value : null;
  const revisions = status?.revisions ?? [];
  const selected = revisions[model.selected];
  const currentIndex = status ? revisions.findIndex((r) => r.id === status.current) : -1;

  const openSql = (id: string, direction: 'up' | 'down', action?: Action) => {
    setOverlay({ kind: 'sql', id, direction, result: null, scroll: 0, ...(action ? { action } : {}) });
    services.migrations.sql(id, direction).then((result) => setOverlay((o) => (o && o.kind === 'sql' && o.id === id && o.direction === direction ? { ...o, result } : o)));
  };
  const run = (action: Action) => {
    setOverlay(null);
    model.run(action.move, action.label);
  };

  // The list's keys stay registered; the SQL view, the question and a running move sit above them as modal layers
  // (re-registering on every overlay change would drop a key typed in the gap).
  const idle = overlay === null && model.running === null && rehearsal.state === null;
  const whenIdle = (f: () => void) => () => {
    if (idle) f();
  };
  useKeys(
    [
      { command: 'mig-newer', keys: ['up', 'k'], description: 'select the newer revision' },
      { command: 'mig-older', keys: ['down', 'j'], description: 'select the older revision' },
      { command: 'mig-up', keys: ['u'], hint: 'up one', description: 'upgrade one step: show the next revision’s SQL, Enter runs it' },
      { command: 'mig-head', keys: ['U'], hint: 'to head', description: 'upgrade to head' },
      { command: 'mig-down', keys: ['d'], hint: 'down one', description: 'downgrade one step: show the current revision’s down SQL, y runs it' },
      { command: 'mig-stamp', keys: ['s'], hint: 'stamp', description: 'stamp the selected revision (records it, runs nothing; asks first)' },
      { command: 'mig-view', keys: ['return', 'v'], hint: 'SQL', description: 'view the selected revision’s SQL (up if pending, down if applied; Tab switches)' },
      { command: 'mig-refresh', keys: ['r'], description: 'read the status again' },
      ...(rehearsal.available ? [{ command: 'mig-rehearse', keys: ['R'], hint: 'rehearse', description: 'rehearse the pending migrations on a scratch copy: up, down, up again, timed, with their locks (the database is only read)' }] : []),
    ],
    {
      'mig-newer': whenIdle(() => model.select(1)),
      'mig-older': whenIdle(() => model.select(-1)),
      'mig-up': whenIdle(() => {
        const next = revisions[currentIndex + 1];
        if (next) openSql(next.id, 'up', { move: { kind: 'upgrade', target: next.id }, label: `Upgrade ${status?.current ?? 'base'} → ${next.id}`, key: 'return' });
      }),
      'mig-head': whenIdle(() => {
        if (status && status.pendingCount > 0) model.run({ kind: 'upgrade', target: 'head' }, `Upgrade to head (${status.head})`);
      }),
      'mig-down': whenIdle(() => {
        const cur = revisions[currentIndex];
        if (!cur) return;
        const to = revisions[currentIndex - 1]?.id ?? 'base';
        openSql(cur.id, 'down', { move: { kind: 'downgrade', target: to }, label: `Downgrade ${cur.id} → ${to}`, key: 'y' });
      }),
      'mig-stamp': whenIdle(() => {
        if (selected) setOverlay({ kind: 'confirm', question: `Stamp ${selected.id}? The database is recorded as at ${selected.id}; nothing runs.`, action: { move: { kind: 'stamp', target: selected.id }, label: `Stamp ${selected.id}`, key: 'y' } });
      }),
      'mig-view': whenIdle(() => {
        if (selected) openSql(selected.id, selected.applied ? 'down' : 'up');
      }),
      'mig-refresh': whenIdle(() => model.refresh()),
      'mig-rehearse': whenIdle(() => rehearsal.start()),
    },
  );
  useKeys(
    [
      { command: 'sql-back', keys: ['up', 'k'], description: 'scroll up' },
      { command: 'sql-fwd', keys: ['down', 'j'], description: 'scroll down' },
      { command: 'sql-page', keys: ['pagedown'], description: 'scroll a page' },
      ...(overlay?.kind === 'sql' && !overlay.action ? [{ command: 'sql-switch', keys: ['tab'], hint: 'up/down', description: 'switch between the up and the down SQL' }] : []),
      ...(overlay?.kind === 'sql' && overlay.action ? [{ command: 'sql-run', keys: [overlay.action.key], hint: 'run', description: 'run it' }] : []),
      { command: 'sql-close', keys: ['escape', 'n'], hint: 'close', description: 'close without running' },
    ],
    {
      'sql-back': () => setOverlay((o) => (o?.kind === 'sql' ? { ...o, scroll: Math.max(0, o.scroll - 1) } : o)),
      'sql-fwd': () => setOverlay((o) => (o?.kind === 'sql' ? { ...o, scroll: o.scroll + 1 } : o)),
      'sql-page': () => setOverlay((o) => (o?.kind === 'sql' ? { ...o, scroll: o.scroll + height - 4 } : o)),
      'sql-switch': () => overlay?.kind === 'sql' && !overlay.action && openSql(overlay.id, overlay.direction === 'up' ? 'down' : 'up'),
      'sql-run': () => overlay?.kind === 'sql' && overlay.action && overlay.result?.ok && run(overlay.action),
      'sql-close': () => setOverlay(null),
    },
    { active: overlay?.kind === 'sql', modal: true },
  );
  useKeys(
    [
      { command: 'confirm-yes', keys: ['y'], hint: 'yes', description: 'go ahead' },
      { command: 'confirm-no', keys: ['n', 'escape'], hint: 'no', description: 'cancel' },
    ],
    { 'confirm-yes': () => overlay?.kind === 'confirm' && run(overlay.action), 'confirm-no': () => setOverlay(null) },
    { active: overlay?.kind === 'confirm', modal: true },
  );
  useKeys([{ command: 'run-wait', keys: ['escape'], description: 'a migration is running: it finishes or rolls back whole' }], { 'run-wait': () => {} }, { active: model.running !== null, modal: true });

  if (model.load.status === 'loading') {
    return (
      <Busy>reading the migration status…</Busy>
    );
  }
  if (rehearsal.state) return <RehearsalView state={rehearsal.state} width={width} height={height} onCancel={rehearsal.cancel} onClose={rehearsal.close} />;
  if (model.load.status === 'failed') return <FailureBox failure={model.load.failure} width={width} hint="r reads the status again" />;
  if (!status) return null;

  if (overlay?.kind === 'sql') {
    const r = overlay.result;
    if (!r) return <Text color={theme.muted}>reading {overlay.id}…</Text>;
    if (!r.ok) return <FailureBox failure={r} width={width} hint="esc closes" />;
    const a = overlay.action;
    const title = a ? `${a.label} runs this ${r.direction} SQL${r.noTransaction ? ' (no transaction)' : ''}:` : `${r.id} · ${r.direction} · ${r.file}`;
    const prompt = a ? (a.key === 'y' ? 'y runs it (asked: this downgrade can lose data) · esc cancels' : 'Enter runs it · esc cancels') : 'Tab: up/down · ↑/↓ scroll · esc closes';
    return <SqlPreview title={title} prompt={prompt} text={r.text} startLine={r.startLine} scroll={overlay.scroll} height={height} width={width} danger={a?.key === 'y'} />;
  }

  const problems = status.problems.filter((p) => p.code !== 'migrations_pending').slice(0, 2);
  const footer = model.running ? Math.min(6, model.running.log.length + 1) : model.failure ? 5 : model.notice ? 1 : 0;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>at {summarizeStatus(status)}</Text>
        {status.alembic.exists ? <Text color={theme.muted}> · alembic_version {status.alembic.value ?? '(empty)'}</Text> : null}
      </Text>
      {problems.map((p) => (
        <Text key={p.code} color={p.code === 'alembic_out_of_step' || p.code === 'migration_lock_held' ? theme.warn : theme.error} wrap="truncate-end">
          {marks.warn} {p.code}: {p.message}
        </Text>
      ))}
      <RevisionList status={status} selected={model.selected} height={Math.max(3, height - 1 - problems.length - footer)} width={width} />
      {overlay?.kind === 'confirm' ? (
        <Text color={theme.warn} bold>
          {overlay.question} (y/N)
        </Text>
      ) : null}
      {model.running ? (
        <Box flexDirection="column">
          <Text color={theme.accent}>
            <Spinner type="dots" /> {model.running.label}…
          </Text>
          {model.running.log.slice(-5).map((line, i) => (
            <Text key={i} wrap="truncate-end">
              {'  '}
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
      {model.failure ? <FailureBox failure={model.failure} width={width} /> : null}
      {model.notice ? <Text color={theme.ok}>{marks.ok} {model.notice}</Text> : null}
    </Box>
  );
}

/** Room for three lines of evidence and the first fix beside the revision list. */
function FailureBox({ failure, width, hint }: { failure: ServiceFailure; width: number; hint?: string }) {
  return <FailureView failure={failure} evidence={3} fixes={1} width={width} {...(hint ? { hint } : {})} />;
}
