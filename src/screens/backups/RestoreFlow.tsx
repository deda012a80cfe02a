/**
 * Restoring the selected backup on the screen: the checks and the plan
 * first (what will happen to which database), the options that plan needs
 * (a backup first, disconnecting others, skipping owners or grants), the
 * database name typed to confirm, then progress, then the revision report.
 */
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { useKeys } from '../../app/keys-context.js';
import { marks, theme } from '../../app/theme.js';
import type { BackupsService, RestorePlanResult, RestoreRunResult } from '../../app/services-backups-types.js';
import { Failure, Toggle, TypedConfirm } from './flow-parts.js';
import type { RestorePlan } from '../../core/backups/restore-plan.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { formatDuration } from '../../core/format-units.js';

type Phase = { kind: 'planning' } | { kind: 'plan'; result: RestorePlanResult } | { kind: 'confirm'; plan: RestorePlan } | { kind: 'running'; plan: RestorePlan } | { kind: 'done'; result: RestoreRunResult };

export function RestoreFlow({ service, file, width, onClose }: { service: BackupsService; file: string; width: number; onClose: (changed: boolean) => void }) {
  const [options, setOptions] = useState({ noOwner: false, noAcl: false, backupFirst: true, force: false });
  const [phase, setPhase] = useState<Phase>({ kind: 'planning' });
  const [note, setNote] = useState('');
  const lastPlan = useRef<RestorePlanResult | null>(null);
  useEffect(() => {
    let live = true;
    setPhase({ kind: 'planning' });
    service.planRestore(file, { noOwner: options.noOwner, noAcl: options.noAcl }).then((result) => {
      lastPlan.current = result;
      if (live) setPhase({ kind: 'plan', result });
    });
    return () => {
      live = false;
    };
  }, [service, file, options.noOwner, options.noAcl]);

  const plan = phase.kind === 'plan' && phase.result.ok ? phase.result.plan : null;
  useKeys(
    [
      { command: 'restore-go', keys: ['return'], hint: 'go on', description: 'go on to the typed confirmation' },
      { command: 'restore-backup', keys: ['b'], hint: 'backup first', description: 'back the database up first (when it is replaced)' },
      { command: 'restore-force', keys: ['f'], description: 'disconnect others from the database when swapping (WITH FORCE)' },
      { command: 'restore-no-owner', keys: ['o'], description: 'toggle --no-owner (objects belong to the restoring role)' },
      { command: 'restore-no-acl', keys: ['a'], description: 'toggle --no-acl (skip GRANT / REVOKE)' },
      { command: 'restore-close', keys: ['escape'], hint: 'cancel', description: 'back to the list, nothing restored' },
    ],
    {
      'restore-go': () => {
        if (!plan) return;
        if (plan.sessions.length > 0 && !options.force) return setNote(`${plan.target} is in use: press f to disconnect those sessions, or stop the application first`);
        setNote('');
        setPhase({ kind: 'confirm', plan });
      },
      'restore-backup': () => setOptions((o) => ({ ...o, backupFirst: !o.backupFirst })),
      'restore-force': () => setOptions((o) => ({ ...o, force: !o.force })),
      'restore-no-owner': () => setOptions((o) => ({ ...o, noOwner: !o.noOwner })),
      'restore-no-acl': () => setOptions((o) => ({ ...o, noAcl: !o.noAcl })),
      'restore-close': () => onClose(false),
    },
    { modal: true, active: phase.kind === 'plan' || phase.kind === 'planning' },
  );

  if (phase.kind === 'planning') {
    return (
      <Text>
        <Text color={theme.accent}>
          <Spinner type="dots" />
        </Text>{' '}
        checking {file}: manifest, sha256, roles, target…
      </Text>
    );
  }
  if (phase.kind === 'plan' && !phase.result.ok) return <Failure failure={phase.result} hint="o: --no-owner · a: --no-acl · esc: back" />;
  if (phase.kind === 'plan' && plan) {
    return (
      <Box flexDirection="column">
        <Text bold>Restore plan</Text>
        {phase.result.ok ? phase.result.lines.map((l) => <Text key={l} wrap="truncate-end">{l}</Text>) : null}
        <Box flexDirection="column" marginTop={1}>
          {plan.mode === 'replace' ? <Toggle label={`b  back up ${plan.target} first`} on={options.backupFirst} /> : null}
          {plan.sessions.length > 0 ? <Toggle label={`f  disconnect ${plan.sessions.length} session(s) when swapping`} on={options.force} /> : null}
          <Toggle label="o  --no-owner" on={options.noOwner} />
          <Toggle label="a  --no-acl" on={options.noAcl} />
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
        warning={p.mode === 'replace' ? `This replaces the contents of ${p.target}.` : `This restores into ${p.target}.`}
        what="restored"
        onCancel={() => setPhase({ kind: 'plan', result: lastPlan.current ?? { ok: true, plan: p, lines: [] } })}
        onConfirmed={() => setPhase({ kind: 'running', plan: p })}
      />
    );
  }
  if (phase.kind === 'running') return <Running service={service} plan={phase.plan} options={options} width={width} onDone={(result) => setPhase({ kind: 'done', result })} />;
  return <Done result={(phase as { result: RestoreRunResult }).result} onClose={onClose} />;
}

function Running({ service, plan, options, width, onDone }: { service: BackupsService; plan: RestorePlan; options: { force: boolean; backupFirst: boolean }; width: number; onDone: (r: RestoreRunResult) => void }) {
  const [steps, setSteps] = useState<string[]>([]);
  const [bar, setBar] = useState<{ fraction?: number; bytes: number; elapsedMs: number; activity: string } | null>(null);
  const controller = useRef(new AbortController());
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    let live = true;
    service
      .restore(
        plan,
        options,
        (s) => {
          if (!live) return;
          if (s.type === 'step') setSteps((x) => [...x, s.text]);
          else if (s.type === 'backup') setBar({ ...s.progress, activity: `backup: ${s.progress.activity}` });
          else setBar({ fraction: s.fraction, bytes: s.bytes, elapsedMs: s.elapsedMs, activity: plan.file });
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
      { command: 'restore-stop', keys: ['c', 'ctrl+c'], hint: 'cancel', description: 'cancel: the restore is rolled back' },
      { command: 'restore-busy', keys: ['any'], description: 'other keys wait until the restore ends' },
    ],
    { 'restore-stop': () => controller.current.abort(), 'restore-busy': () => {} },
    { modal: true },
  );
  return (
    <Box flexDirection="column">
      <Text bold>Restoring {plan.file}</Text>
      {steps.slice(-4).map((s, i) => (
        <Text key={`${i}-${s}`} color={theme.muted} wrap="truncate-end">
          {s}
        </Text>
      ))}
      {bar ? <ProgressBar {...bar} width={width} /> : null}
    </Box>
  );
}

function Done({ result, onClose }: { result: RestoreRunResult; onClose: (changed: boolean) => void }) {
  useKeys([{ command: 'restore-done', keys: ['return', 'escape'], hint: 'back to the list', description: 'back to the list of backups' }], { 'restore-done': () => onClose(true) }, { modal: true });
  if (!result.ok) return <Failure failure={result} hint="Enter or Esc: back to the list" />;
  return (
    <Box flexDirection="column">
      <Text color={theme.ok}>
        {marks.ok} restored into {result.result.target} in {formatDuration(result.result.elapsedMs)}
      </Text>
      {result.safetyBackup ? <Text color={theme.muted}>the previous contents are in {result.safetyBackup}</Text> : null}
      <Text color={result.behind ? theme.warn : undefined}>revision: {result.revisionText}</Text>
      <Text color={theme.muted}>Enter or Esc: back to the list</Text>
    </Box>
  );
}
