/**
 * Resetting the configured database on the screen: the plan first (where
 * the migrations stand, what goes), the options (recreate instead of
 * down/up, a backup first — on by default —, disconnecting others), the
 * database name typed, then each migration as it runs.
 */
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { useKeys } from '../../app/keys-context.js';
import { marks, theme } from '../../app/theme.js';
import type { BackupsService, ResetPlanResult, ResetRunResult } from '../../app/services-backups-types.js';
import type { ResetPlan } from '../../core/backups/reset.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import type { BackupProgress } from '../../core/backups/backup.js';
import { Failure, Toggle, TypedConfirm } from './flow-parts.js';

type Phase = { kind: 'planning' } | { kind: 'plan'; result: ResetPlanResult } | { kind: 'confirm'; plan: ResetPlan } | { kind: 'running'; plan: ResetPlan } | { kind: 'done'; result: ResetRunResult };

export function ResetFlow({ service, width, onClose }: { service: BackupsService; width: number; onClose: (changed: boolean) => void }) {
  const [options, setOptions] = useState({ recreate: false, backupFirst: true, force: false });
  const [phase, setPhase] = useState<Phase>({ kind: 'planning' });
  const [note, setNote] = useState('');
  const lastPlan = useRef<ResetPlanResult | null>(null);
  useEffect(() => {
    let live = true;
    setPhase({ kind: 'planning' });
    service.planReset(options.recreate).then((result) => {
      lastPlan.current = result;
      if (live) setPhase({ kind: 'plan', result });
    });
    return () => {
      live = false;
    };
  }, [service, options.recreate]);

  const plan = phase.kind === 'plan' && phase.result.ok ? phase.result.plan : null;
  useKeys(
    [
      { command: 'reset-go', keys: ['return'], hint: 'go on', description: 'go on to the typed confirmation' },
      { command: 'reset-recreate', keys: ['d'], description: 'toggle: drop and recreate the database instead of down + up migrations' },
      { command: 'reset-backup', keys: ['b'], hint: 'backup first', description: 'back the database up first' },
      { command: 'reset-force', keys: ['f'], description: 'disconnect others when dropping (DROP DATABASE ... WITH (FORCE))' },
      { command: 'reset-close', keys: ['escape'], hint: 'cancel', description: 'back to the list, nothing changed' },
    ],
    {
      'reset-go': () => {
        if (!plan) return;
        if (plan.recreate && plan.sessions.length > 0 && !options.force) return setNote(`${plan.target} is in use: press f to disconnect those sessions, or stop the application first`);
        setNote('');
        setPhase({ kind: 'confirm', plan });
      },
      'reset-recreate': () => setOptions((o) => ({ ...o, recreate: !o.recreate })),
      'reset-backup': () => setOptions((o) => ({ ...o, backupFirst: !o.backupFirst })),
      'reset-force': () => setOptions((o) => ({ ...o, force: !o.force })),
      'reset-close': () => onClose(false),
    },
    { modal: true, active: phase.kind === 'plan' || phase.kind === 'planning' },
  );

  if (phase.kind === 'planning') {
    return (
      <Text>
        <Text color={theme.accent}>
          <Spinner type="dots" />
        </Text>{' '}
        reading where {service.database} stands…
      </Text>
    );
  }
  if (phase.kind === 'plan' && !phase.result.ok) return <Failure failure={phase.result} hint="d: toggle recreate · esc: back" />;
  if (phase.kind === 'plan' && plan) {
    return (
      <Box flexDirection="column">
        <Text bold>Reset {plan.target}</Text>
        {phase.result.ok ? phase.result.lines.map((l) => <Text key={l} wrap="truncate-end">{l}</Text>) : null}
        <Box flexDirection="column" marginTop={1}>
          <Toggle label="d  drop and recreate the database (instead of down + up)" on={options.recreate} />
          <Toggle label={`b  back up ${plan.target} first`} on={options.backupFirst} />
          {plan.recreate && plan.sessions.length > 0 ? <Toggle label={`f  disconnect ${plan.sessions.length} session(s) (WITH (FORCE))`} on={options.force} /> : null}
        </Box>
        {note ? <Text color={theme.warn}>{note}</Text> : <Text color={theme.muted}>Enter to go on · Esc to cancel</Text>}
      </Box>
    );
  }
  if (phase.kind === 'confirm') {
    const p = phase.plan;
    return (
      <TypedConfirm
        expected={p.target}
        warning={p.recreate ? `This drops ${p.target} and creates it again: everything in it goes.` : `This empties the migrated tables of ${p.target}.`}
        what="reset"
        onCancel={() => setPhase({ kind: 'plan', result: lastPlan.current ?? { ok: true, plan: p, lines: [] } })}
        onConfirmed={() => setPhase({ kind: 'running', plan: p })}
      />
    );
  }
  if (phase.kind === 'running') return <Running service={service} plan={phase.plan} options={options} width={width} onDone={(result) => setPhase({ kind: 'done', result })} />;
  return <Done result={(phase as { result: ResetRunResult }).result} onClose={onClose} />;
}

function Running({ service, plan, options, width, onDone }: { service: BackupsService; plan: ResetPlan; options: { force: boolean; backupFirst: boolean }; width: number; onDone: (r: ResetRunResult) => void }) {
  const [lines, setLines] = useState<string[]>([]);
  const [backup, setBackup] = useState<BackupProgress | null>(null);
  const controller = useRef(new AbortController());
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    let live = true;
    service
      .reset(
        plan,
        options,
        (s) => {
          if (!live) return;
          if (s.type === 'backup') setBackup(s.progress);
          else {
            if (s.type === 'step') setBackup(null);
            setLines((x) => [...x, s.type === 'migration' ? `  ${s.text}` : s.text]);
          }
        },
        controller.current.signal,
      )
      .then((r) => live && done.current(r));
    return () => {
      live = false;
      controller.current.abort();
    };
  }, [service, plan, options]);
  useKeys(
    [
      { command: 'reset-stop', keys: ['c', 'ctrl+c'], hint: 'cancel', description: 'cancel: the migration running finishes or rolls back, nothing after it starts' },
      { command: 'reset-busy', keys: ['any'], description: 'other keys wait until the reset ends' },
    ],
    { 'reset-stop': () => controller.current.abort(), 'reset-busy': () => {} },
    { modal: true },
  );
  return (
    <Box flexDirection="column">
      <Text bold>Resetting {plan.target}</Text>
      {lines.slice(-10).map((s, i) => (
        <Text key={`${i}-${s}`} color={theme.muted} wrap="truncate-end">
          {s}
        </Text>
      ))}
      {backup ? <ProgressBar fraction={backup.fraction} bytes={backup.bytes} elapsedMs={backup.elapsedMs} activity={`backup: ${backup.activity}`} width={width} /> : null}
    </Box>
  );
}

function Done({ result, onClose }: { result: ResetRunResult; onClose: (changed: boolean) => void }) {
  useKeys([{ command: 'reset-done', keys: ['return', 'escape'], hint: 'back to the list', description: 'back to the list of backups' }], { 'reset-done': () => onClose(true) }, { modal: true });
  if (!result.ok) return <Failure failure={result} hint="Enter or Esc: back to the list" />;
  return (
    <Box flexDirection="column">
      <Text color={theme.ok}>
        {marks.ok} {result.result.target} reset to {result.result.status.current ?? 'base'}
        {result.result.recreate ? ' (recreated)' : ''}
      </Text>
      {result.safetyBackup ? <Text color={theme.muted}>the previous contents are in {result.safetyBackup}</Text> : null}
      <Text color={theme.muted}>Enter or Esc: back to the list</Text>
    </Box>
  );
}
