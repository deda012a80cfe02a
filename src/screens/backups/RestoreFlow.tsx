/**
 * Restoring the selected backup on the screen: the checks and the plan
 * first (what will happen to which database), the options that plan needs
 * (a backup first, disconnecting others, skipping owners or grants), the
 * database name typed to confirm, then progress, then the revision report.
 */
import React, { useState } from 'react';
import { Text } from 'ink';
import { useKeys } from '../../app/keys-context.js';
import { marks, theme } from '../../app/theme.js';
import type { BackupsService, RestoreRunResult } from '../../app/services-backups-types.js';
import type { RestorePlan } from '../../core/backups/restore-plan.js';
import type { ProgressBarProps } from '../../components/ProgressBar.js';
import { formatDuration } from '../../core/format-units.js';
import { Busy } from '../../components/Busy.js';
import { useCancellableRun } from '../../hooks/use-cancellable-run.js';
import { DoneStep, Failure, NamePrompt, PlanStep, RunningStep, Toggle, TypedConfirm } from './flow-parts.js';
import { usePlanFlow } from './use-plan-flow.js';

export function RestoreFlow({ service, file, width, onClose }: { service: BackupsService; file: string; width: number; onClose: (changed: boolean) => void }) {
  const [options, setOptions] = useState({ noOwner: false, noAcl: false, backupFirst: true, force: false });
  // Into another database (the CLI's --into): a copy beside the live one, which is left alone.
  const [into, setInto] = useState<string | undefined>(undefined);
  // Bumped by each name entered, so the same name is checked again (the database may have been created meanwhile).
  const [attempt, setAttempt] = useState(0);
  const [askingInto, setAskingInto] = useState(false);
  const flow = usePlanFlow<RestorePlan, RestoreRunResult>(
    () => service.planRestore(file, { noOwner: options.noOwner, noAcl: options.noAcl, ...(into !== undefined ? { into } : {}) }),
    [service, file, options.noOwner, options.noAcl, into, attempt],
  );
  const { phase, plan } = flow;
  // Only the keys that do something on this page: no "go on" past a refusal, no backup toggle when nothing is replaced.
  const planned = phase.kind === 'plan' && plan !== null;
  useKeys(
    [
      ...(planned ? [{ command: 'restore-go', keys: ['return'], hint: 'go on', description: 'go on to the typed confirmation' }] : []),
      ...(planned && plan?.mode === 'replace' ? [{ command: 'restore-backup', keys: ['b'], hint: 'backup first', description: 'back the database up first (when it is replaced)' }] : []),
      ...(planned && (plan?.sessions.length ?? 0) > 0 ? [{ command: 'restore-force', keys: ['f'], description: 'disconnect others from the database when swapping (WITH FORCE)' }] : []),
      { command: 'restore-no-owner', keys: ['o'], description: 'toggle --no-owner (objects belong to the restoring role)' },
      { command: 'restore-no-acl', keys: ['a'], description: 'toggle --no-acl (skip GRANT / REVOKE)' },
      { command: 'restore-into', keys: ['i'], hint: 'into…', description: 'restore into another database (created when missing; the configured one is left alone)' },
      { command: 'restore-close', keys: ['escape'], hint: 'cancel', description: 'back to the list, nothing restored' },
    ],
    {
      'restore-go': () => plan && flow.goOn(plan, plan.sessions.length > 0 && !options.force),
      'restore-backup': () => setOptions((o) => ({ ...o, backupFirst: !o.backupFirst })),
      'restore-force': () => setOptions((o) => ({ ...o, force: !o.force })),
      'restore-no-owner': () => setOptions((o) => ({ ...o, noOwner: !o.noOwner })),
      'restore-no-acl': () => setOptions((o) => ({ ...o, noAcl: !o.noAcl })),
      'restore-into': () => setAskingInto(true),
      'restore-close': () => onClose(false),
    },
    { modal: true, active: !askingInto && (phase.kind === 'plan' || phase.kind === 'planning') },
  );

  if (askingInto) {
    return (
      <NamePrompt
        question="Restore into which database (created when missing)?"
        onCancel={() => setAskingInto(false)}
        onName={(name) => {
          setAskingInto(false);
          setInto(name);
          setAttempt((n) => n + 1);
        }}
      />
    );
  }

  if (phase.kind === 'planning') return <Busy>{`checking ${file}: manifest, sha256, roles, target…`}</Busy>;
  if (phase.kind === 'plan' && !phase.result.ok) return <Failure failure={phase.result} hint="o: --no-owner · a: --no-acl · i: into another database · esc: back" />;
  if (phase.kind === 'plan' && plan) {
    return (
      <PlanStep title="Restore plan" lines={flow.lines} note={flow.note} width={width}>
        {plan.mode === 'replace' ? <Toggle label={`b  back up ${plan.target} first`} on={options.backupFirst} /> : null}
        {plan.sessions.length > 0 ? <Toggle label={`f  disconnect ${plan.sessions.length} session(s) when swapping`} on={options.force} /> : null}
        <Toggle label="o  --no-owner" on={options.noOwner} />
        <Toggle label="a  --no-acl" on={options.noAcl} />
        <Text color={theme.muted}>i  into another database{into !== undefined ? ` (now: ${into})` : ''}</Text>
      </PlanStep>
    );
  }
  if (phase.kind === 'confirm') {
    const p = phase.plan;
    return (
      <TypedConfirm
        expected={p.target}
        warning={p.mode === 'replace' ? `This replaces the contents of ${p.target}.` : `This restores into ${p.target}.`}
        what="restored"
        onCancel={() => flow.backToPlan(p)}
        onConfirmed={() => flow.run(p)}
      />
    );
  }
  if (phase.kind === 'running') return <Running service={service} plan={phase.plan} options={options} width={width} onDone={flow.finish} />;
  return (
    <DoneStep
      name="restore"
      result={(phase as { result: RestoreRunResult }).result}
      onClose={onClose}
      headline={(ok) => (
        <Text color={theme.ok}>
          {marks.ok} restored into {ok.result.target} in {formatDuration(ok.result.elapsedMs)}
        </Text>
      )}
      details={(ok) => <Text color={ok.behind ? theme.warn : undefined}>revision: {ok.revisionText}</Text>}
    />
  );
}

function Running({ service, plan, options, width, onDone }: { service: BackupsService; plan: RestorePlan; options: { force: boolean; backupFirst: boolean }; width: number; onDone: (r: RestoreRunResult) => void }) {
  const [steps, setSteps] = useState<string[]>([]);
  const [bar, setBar] = useState<Omit<ProgressBarProps, 'width'> | null>(null);
  const signal = useCancellableRun(
    (signal, isLive) =>
      service.restore(
        plan,
        options,
        (s) => {
          if (!isLive()) return;
          if (s.type === 'step') setSteps((x) => [...x, s.text]);
          else if (s.type === 'backup') setBar({ ...s.progress, activity: `backup: ${s.progress.activity}` });
          else setBar({ fraction: s.fraction, bytes: s.bytes, elapsedMs: s.elapsedMs, activity: plan.file });
        },
        signal,
      ),
    onDone,
    [service, plan, options],
    {
      name: 'restore',
      stopKeys: ['c', 'escape', 'ctrl+c'],
      stop: 'cancel: psql or pg_restore is stopped, the restore rolled back, a database it created dropped',
      busy: 'other keys wait until the restore ends',
    },
  );
  return <RunningStep title={`Restoring ${plan.file}`} steps={steps.slice(-4)} bar={bar} width={width} cancelling={signal.aborted} />;
}
