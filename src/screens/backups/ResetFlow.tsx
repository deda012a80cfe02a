/**
 * Resetting the configured database on the screen: the plan first (where
 * the migrations stand, what goes), the options (recreate instead of
 * down/up, a backup first — on by default —, disconnecting others), the
 * database name typed, then each migration as it runs.
 */
import React, { useState } from 'react';
import { Text } from 'ink';
import { useKeys } from '../../app/keys-context.js';
import { marks, theme } from '../../app/theme.js';
import type { BackupsService, ResetRunResult } from '../../app/services-backups-types.js';
import type { ResetPlan } from '../../core/backups/reset.js';
import type { BackupProgress } from '../../core/backups/backup.js';
import { Busy } from '../../components/Busy.js';
import { useCancellableRun } from '../../hooks/use-cancellable-run.js';
import { DoneStep, Failure, PlanStep, RunningStep, Toggle, TypedConfirm } from './flow-parts.js';
import { usePlanFlow } from './use-plan-flow.js';

export function ResetFlow({ service, width, onClose }: { service: BackupsService; width: number; onClose: (changed: boolean) => void }) {
  const [options, setOptions] = useState({ recreate: false, backupFirst: true, force: false });
  const flow = usePlanFlow<ResetPlan, ResetRunResult>(() => service.planReset(options.recreate), [service, options.recreate]);
  const { phase, plan } = flow;
  useKeys(
    [
      { command: 'reset-go', keys: ['return'], hint: 'go on', description: 'go on to the typed confirmation' },
      { command: 'reset-recreate', keys: ['d'], description: 'toggle: drop and recreate the database instead of down + up migrations' },
      { command: 'reset-backup', keys: ['b'], hint: 'backup first', description: 'back the database up first' },
      { command: 'reset-force', keys: ['f'], description: 'disconnect others when dropping (DROP DATABASE ... WITH (FORCE))' },
      { command: 'reset-close', keys: ['escape'], hint: 'cancel', description: 'back to the list, nothing changed' },
    ],
    {
      'reset-go': () => plan && flow.goOn(plan, plan.recreate && plan.sessions.length > 0 && !options.force),
      'reset-recreate': () => setOptions((o) => ({ ...o, recreate: !o.recreate })),
      'reset-backup': () => setOptions((o) => ({ ...o, backupFirst: !o.backupFirst })),
      'reset-force': () => setOptions((o) => ({ ...o, force: !o.force })),
      'reset-close': () => onClose(false),
    },
    { modal: true, active: phase.kind === 'plan' || phase.kind === 'planning' },
  );

  if (phase.kind === 'planning') return <Busy>{`reading where ${service.database} stands…`}</Busy>;
  if (phase.kind === 'plan' && !phase.result.ok) return <Failure failure={phase.result} hint="d: toggle recreate · esc: back" />;
  if (phase.kind === 'plan' && plan) {
    return (
      <PlanStep title={`Reset ${plan.target}`} lines={flow.lines} note={flow.note} width={width}>
        <Toggle label="d  drop and recreate the database (instead of down + up)" on={options.recreate} />
        <Toggle label={`b  back up ${plan.target} first`} on={options.backupFirst} />
        {plan.recreate && plan.sessions.length > 0 ? <Toggle label={`f  disconnect ${plan.sessions.length} session(s) (WITH (FORCE))`} on={options.force} /> : null}
      </PlanStep>
    );
  }
  if (phase.kind === 'confirm') {
    const p = phase.plan;
    return (
      <TypedConfirm
        expected={p.target}
        warning={p.recreate ? `This drops ${p.target} and creates it again: everything in it goes.` : `This empties the migrated tables of ${p.target}.`}
        what="reset"
        onCancel={() => flow.backToPlan(p)}
        onConfirmed={() => flow.run(p)}
      />
    );
  }
  if (phase.kind === 'running') return <Running service={service} plan={phase.plan} options={options} width={width} onDone={flow.finish} />;
  return (
    <DoneStep
      name="reset"
      result={(phase as { result: ResetRunResult }).result}
      onClose={onClose}
      headline={(ok) => (
        <Text color={theme.ok}>
          {marks.ok} {ok.result.target} reset to {ok.result.status.current ?? 'base'}
          {ok.result.recreate ? ' (recreated)' : ''}
        </Text>
      )}
    />
  );
}

function Running({ service, plan, options, width, onDone }: { service: BackupsService; plan: ResetPlan; options: { force: boolean; backupFirst: boolean }; width: number; onDone: (r: ResetRunResult) => void }) {
  const [lines, setLines] = useState<string[]>([]);
  const [backup, setBackup] = useState<BackupProgress | null>(null);
  const signal = useCancellableRun(
    (signal, isLive) =>
      service.reset(
        plan,
        options,
        (s) => {
          if (!isLive()) return;
          if (s.type === 'backup') setBackup(s.progress);
          else {
            if (s.type === 'step') setBackup(null);
            setLines((x) => [...x, s.type === 'migration' ? `  ${s.text}` : s.text]);
          }
        },
        signal,
      ),
    onDone,
    [service, plan, options],
    { name: 'reset', stopKeys: ['c', 'escape', 'ctrl+c'], stop: 'cancel: the migration running finishes or rolls back, nothing after it starts', busy: 'other keys wait until the reset ends' },
  );
  const bar = backup ? { fraction: backup.fraction, bytes: backup.bytes, elapsedMs: backup.elapsedMs, activity: `backup: ${backup.activity}` } : null;
  return <RunningStep title={`Resetting ${plan.target}`} steps={lines.slice(-9)} bar={bar} width={width} cancelling={signal.aborted} />;
}
