/**
 * Doctor: the checks in order as they finish, the selected failure in full
 * (evidence, fixes to copy), and its actions: check again, create the
 * database, create the role, grant, stamp. An action that needs more rights
 * asks once for an admin login (URL, or role + password never shown),
 * runs, and checks again.
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Text, useStdout } from 'ink';
import { useServices } from '../app/services.js';
import { useLatestRun } from '../hooks/use-latest-run.js';
import { useKeys } from '../app/keys-context.js';
import { marks, theme } from '../app/theme.js';
import type { KeyBinding } from '../app/keymap.js';
import type { ActionId, CheckAction, CheckResult } from '../core/diagnostics/check-types.js';
import type { AdminLogin } from '../core/setup/admin-login.js';
import { CheckList, foldChecks } from '../components/CheckList.js';
import { CheckDetail, detailRows } from '../components/CheckDetail.js';
import { Confirm } from '../components/Confirm.js';
import { AdminLoginForm } from '../components/AdminLoginForm.js';
import { Busy } from '../components/Busy.js';

const ACTION_KEYS: Record<Exclude<ActionId, 'retry'>, string> = { create_database: 'c', create_role: 'u', grant_privileges: 'g', stamp: 's' };

type Modal = { kind: 'confirm'; action: CheckAction } | { kind: 'admin'; action: CheckAction } | { kind: 'acting'; action: CheckAction };

export function DoctorScreen() {
  const { doctor } = useServices();
  const { stdout } = useStdout();
  const width = Math.max(40, stdout.columns || 80);
  const height = Math.max(10, (stdout.rows || 24) - 1);
  const [checks, setChecks] = useState<CheckResult[]>([]);
  const [running, setRunning] = useState(true);
  const [selected, setSelected] = useState(0);
  const [offset, setOffset] = useState(0);
  const [modal, setModal] = useState<Modal | undefined>();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const admin = useRef<AdminLogin | undefined>(undefined);
  const { begin, mounted } = useLatestRun();

  const run = useCallback(() => {
    const current = begin();
    setRunning(true);
    setChecks([]);
    setOffset(0);
    doctor
      .run((check) => {
        if (current()) setChecks((old) => [...old.filter((c) => c.id !== check.id), check]);
      })
      .then((report) => {
        if (!current()) return;
        setChecks(report.checks);
        setRunning(false);
        setSelected(0);
      });
  }, [doctor, begin]);
  useEffect(() => {
    run();
  }, [run]);

  const problems = checks.filter((c) => c.status === 'failed' || c.status === 'warning');
  const current = problems[Math.min(selected, problems.length - 1)];
  const doable = (current?.actions ?? []).filter((a) => a.id !== 'retry');

  const act = (action: CheckAction, login?: AdminLogin) => {
    setModal({ kind: 'acting', action });
    setMessage(undefined);
    doctor.act(action.id, login).then(
      (outcome) => {
        if (!mounted.current) return;
        setModal(undefined);
        setMessage({ ok: true, text: `${marks.ok} ${outcome.summary}${outcome.ran.length ? ` — ran: ${outcome.ran.join('; ')}` : ''}` });
        run();
      },
      (error: unknown) => {
        if (!mounted.current) return;
        const e = error as { code?: string; message?: string };
        if (/admin login failed/i.test(e.message ?? '')) admin.current = undefined;
        setModal(undefined);
        setMessage({ ok: false, text: `${marks.fail} ${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}` });
      },
    );
  };
  const start = (action: CheckAction) => {
    if (action.needsAdmin && !admin.current) setModal({ kind: 'admin', action });
    else setModal({ kind: 'confirm', action });
  };

  const bindings: KeyBinding[] = [
    { command: 'recheck', keys: ['r'], hint: 'check again', description: 'run every check again' },
    { command: 'next-problem', keys: ['down', 'j'], description: 'next failed check' },
    { command: 'prev-problem', keys: ['up', 'k'], description: 'previous failed check' },
    { command: 'detail-down', keys: ['pagedown'], description: 'scroll the details down' },
    { command: 'detail-up', keys: ['pageup'], description: 'scroll the details up' },
    ...doable.map((a) => ({ command: `act-${a.id}`, keys: [ACTION_KEYS[a.id as Exclude<ActionId, 'retry'>]], hint: a.label.split(' ').slice(0, 2).join(' '), description: a.label + (a.needsAdmin ? ' (asks for an admin login)' : '') })),
  ];
  const handlers: Record<string, () => void> = {
    recheck: () => {
      setMessage(undefined);
      run();
    },
    'next-problem': () => {
      setSelected((s) => Math.min(Math.max(0, problems.length - 1), s + 1));
      setOffset(0);
    },
    'prev-problem': () => {
      setSelected((s) => Math.max(0, s - 1));
      setOffset(0);
    },
    'detail-down': () => setOffset((o) => o + 5),
    'detail-up': () => setOffset((o) => Math.max(0, o - 5)),
  };
  for (const a of doable) handlers[`act-${a.id}`] = () => start(a);
  useKeys(bindings, handlers, { active: !modal });

  const passed = checks.filter((c) => c.status === 'passed').length;
  const hints = doable.map((a) => `${ACTION_KEYS[a.id as Exclude<ActionId, 'retry'>]} ${a.label}${a.needsAdmin ? ' (admin)' : ''}`).concat('r check again');
  const rows = current ? detailRows(current, width, hints) : [];
  // The screen's rows: the frame minus its title, margin and the two status lines;
  // then the summary, the list, the message, the detail's margin and its "more" line.
  const screenRows = height - 4;
  const listRows = foldChecks(checks, problems.length > 0).length;
  const detailHeight = Math.max(3, screenRows - 1 - listRows - (message ? 1 : 0) - 2);
  const maxOffset = Math.max(0, rows.length - detailHeight);
  const at = Math.min(offset, maxOffset);

  return (
    <Box flexDirection="column">
      <Text>
        {running ? (
          <Busy>checking… {checks.length} of 14</Busy>
        ) : (
          <Text>
            <Text color={problems.some((p) => p.status === 'failed') ? theme.error : theme.ok} bold>
              {problems.some((p) => p.status === 'failed') ? `${marks.fail} ${problems.filter((p) => p.status === 'failed').length} failed` : `${marks.ok} nothing failed`}
            </Text>
            <Text color={theme.muted}>
              {' '}
              · {passed} passed{problems.some((p) => p.status === 'warning') ? ` · ${problems.filter((p) => p.status === 'warning').length} warning` : ''} · {checks.filter((c) => c.status === 'skipped').length} skipped
            </Text>
          </Text>
        )}
      </Text>
      <CheckList checks={checks} {...(current && !running ? { selectedId: current.id } : {})} width={width} />
      {message ? (
        <Text color={message.ok ? theme.ok : theme.error} wrap="truncate-end">
          {message.text}
        </Text>
      ) : null}
      {modal?.kind === 'admin' ? (
        <AdminLoginForm
          purpose={modal.action.label}
          onCancel={() => setModal(undefined)}
          onSubmit={(login) => {
            admin.current = login;
            act(modal.action, login);
          }}
        />
      ) : modal?.kind === 'confirm' ? (
        <Confirm question={`${capitalise(modal.action.label)}?`} onAnswer={(yes) => (yes ? act(modal.action, admin.current) : setModal(undefined))} />
      ) : modal?.kind === 'acting' ? (
        <Busy>{modal.action.label}…</Busy>
      ) : current && !running ? (
        <Box marginTop={1}>
          <CheckDetail rows={rows} offset={at} height={detailHeight} />
        </Box>
      ) : null}
    </Box>
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
