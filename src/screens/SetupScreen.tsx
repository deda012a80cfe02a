/**
 * Setup: the first-time guide on screen. It runs the same engine as
 * `connector-db setup`; each of its questions (the target, start the devdb?,
 * an admin login, run these statements?, write these .env lines?) appears
 * here as a form or a y/n, and the steps list grows as they finish.
 */
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { randomBytes } from 'node:crypto';
import { useServices } from '../app/services.js';
import { useNavigation } from '../app/navigation.js';
import { useKeys } from '../app/keys-context.js';
import { marks, theme } from '../app/theme.js';
import type { CheckResult } from '../core/diagnostics/check-types.js';
import type { AdminLogin } from '../core/setup/admin-login.js';
import type { SetupAsker, SetupStep } from '../core/setup/setup.js';
import type { SetupAnswers } from '../core/setup/setup-plan.js';
import { identifierProblem } from '../core/db/quote.js';
import { Form } from '../components/Form.js';
import { Confirm } from '../components/Confirm.js';
import { AdminLoginForm } from '../components/AdminLoginForm.js';
import { Busy } from '../components/Busy.js';

type Question =
  | { kind: 'answers'; found: SetupAnswers; passwordSource?: string; resolve: (a: SetupAnswers) => void; reject: (e: Error) => void }
  | { kind: 'devdb'; check: CheckResult; resolve: (yes: boolean) => void }
  | { kind: 'admin'; reasons: CheckResult[]; resolve: (login: AdminLogin | undefined) => void }
  | { kind: 'confirm'; title: string; lines: string[]; resolve: (yes: boolean) => void };

type Outcome = { kind: 'running' } | { kind: 'done'; target: string; envWritten: boolean } | { kind: 'failed'; code: string; message: string; evidence: string[]; fixes: string[] };

export function SetupScreen() {
  const { setup } = useServices();
  const nav = useNavigation();
  const [steps, setSteps] = useState<SetupStep[]>([]);
  const [question, setQuestion] = useState<Question | undefined>();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'running' });
  const [attempt, setAttempt] = useState(0);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    setSteps([]);
    setOutcome({ kind: 'running' });
    const ask = <T,>(make: (resolve: (v: T) => void) => Question) => new Promise<T>((resolve) => mounted.current && setQuestion(make(resolve)));
    const answer = <T,>(resolve: (v: T) => void) => (v: T) => {
      setQuestion(undefined);
      resolve(v);
    };
    const asker: SetupAsker = {
      answers: (found, sources) =>
        new Promise((resolve, reject) =>
          setQuestion({ kind: 'answers', found, ...(sources.password ? { passwordSource: sources.password.label } : {}), resolve: answer(resolve), reject }),
        ),
      useDevdb: (check) => ask<boolean>((resolve) => ({ kind: 'devdb', check, resolve: answer(resolve) })),
      adminLogin: (reasons) => ask<AdminLogin | undefined>((resolve) => ({ kind: 'admin', reasons, resolve: answer(resolve) })),
      confirmProvision: (plan) => ask<boolean>((resolve) => ({ kind: 'confirm', title: 'Run these statements with the admin login?', lines: plan.map((s) => `${s.shown};`), resolve: answer(resolve) })),
      confirmEnv: (plan, diff, notes) =>
        ask<boolean>((resolve) => ({ kind: 'confirm', title: `Write ${plan.exists ? 'these changes to' : 'the new file'} ${plan.path} (mode 0600)?`, lines: [...diff, ...notes.map((n) => `note: ${n}`)], resolve: answer(resolve) })),
    };
    setup
      .run(asker, (step) => mounted.current && setSteps((s) => [...s, step]))
      .then(
        (r) => mounted.current && setOutcome({ kind: 'done', target: r.target, envWritten: r.envWritten }),
        (error: unknown) => {
          if (!mounted.current) return;
          const e = error as { code?: string; message?: string; evidence?: string[]; fixes?: string[] };
          setQuestion(undefined);
          setOutcome({ kind: 'failed', code: e.code ?? 'failed', message: e.message ?? String(error), evidence: e.evidence ?? [], fixes: e.fixes ?? [] });
        },
      );
    return () => {
      mounted.current = false;
    };
  }, [setup, attempt]);

  const leaveWithNewSettings = () => {
    nav.back();
    nav.reload();
  };
  useKeys(
    [
      { command: 'setup-again', keys: ['r'], hint: 'start again', description: 'start the setup again' },
      { command: 'setup-finish', keys: ['return'], hint: 'home', description: 'back to Home with the new settings' },
      // Esc leaves the same way: setup may have written .env, and Home must not go on with the old target.
      { command: 'setup-leave', keys: ['escape'], description: 'back, with the settings as setup left them' },
    ],
    {
      'setup-again': () => setAttempt((a) => a + 1),
      'setup-finish': leaveWithNewSettings,
      'setup-leave': leaveWithNewSettings,
    },
    { active: !question && outcome.kind !== 'running' },
  );

  return (
    <Box flexDirection="column">
      {steps.map((s, i) => (
        <Text key={i} wrap="truncate-end">
          <Text color={s.status === 'done' ? theme.ok : theme.muted}>{s.status === 'done' ? marks.ok : marks.skip}</Text> {s.message}
        </Text>
      ))}
      {outcome.kind === 'running' && !question ? (
        <Busy>working…</Busy>
      ) : null}
      {question ? <QuestionView question={question} /> : null}
      {outcome.kind === 'done' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color={theme.ok} bold>
            {marks.ok} {outcome.target} is set up{outcome.envWritten ? ' and .env is written' : ''}.
          </Text>
          <Text color={theme.muted}>enter: back to Home with the new settings · r: run setup again</Text>
        </Box>
      ) : null}
      {outcome.kind === 'failed' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color={theme.error} wrap="wrap">
            {marks.fail} {outcome.code}: {outcome.message}
          </Text>
          {outcome.evidence.slice(0, 4).map((e, i) => (
            <Text key={`e${i}`} color={theme.muted} wrap="wrap">
              {'  '}
              {e}
            </Text>
          ))}
          {outcome.fixes.slice(0, 4).map((f, i) => (
            <Text key={`f${i}`} wrap="wrap">
              <Text color={theme.accent}>{i === 0 ? 'fix ' : '    '}</Text>
              {f}
            </Text>
          ))}
          <Text color={theme.muted}>r: start again · esc: back</Text>
        </Box>
      ) : null}
    </Box>
  );
}

function QuestionView({ question }: { question: Question }) {
  switch (question.kind) {
    case 'answers':
      return <AnswersForm question={question} />;
    case 'devdb':
      return (
        <Confirm
          lines={[`${question.check.code}: ${question.check.message}`]}
          question="Nothing answers there. Start a development PostgreSQL owned by connector-db (connector-db devdb) and set it up?"
          onAnswer={question.resolve}
        />
      );
    case 'admin':
      return <AdminLoginForm purpose={`create what is missing (${question.reasons.map((r) => r.code).join(', ')})`} onSubmit={question.resolve} onCancel={() => question.resolve(undefined)} />;
    case 'confirm':
      return <Confirm lines={question.lines} question={question.title} onAnswer={question.resolve} />;
  }
}

function AnswersForm({ question }: { question: Extract<Question, { kind: 'answers' }> }) {
  const { found } = question;
  return (
    <Form
      title="Where should the app's database be? (enter on the last field starts)"
      note={found.password !== undefined ? `password: empty keeps the one from ${question.passwordSource ?? 'the settings'}` : 'password: empty generates a strong one (written to .env)'}
      fields={[
        { id: 'host', label: 'host', initial: found.host },
        { id: 'port', label: 'port', initial: String(found.port) },
        { id: 'database', label: 'database', initial: found.database },
        { id: 'user', label: 'role', initial: found.user },
        { id: 'password', label: 'password', secret: true, placeholder: found.password !== undefined ? '(keep)' : '(generate)' },
      ]}
      validate={(v) => {
        const port = Number(v.port);
        if (!/^\d+$/.test((v.port ?? '').trim()) || port < 1 || port > 65535) return `port ${JSON.stringify(v.port)}: allowed 1 to 65535`;
        if (!(v.host ?? '').trim()) return 'host: a name, an IP address or a socket directory';
        return identifierProblem(v.database ?? '', 'database') ?? identifierProblem(v.user ?? '', 'role');
      }}
      onCancel={() => question.reject(Object.assign(new Error('setup cancelled'), { code: 'cancelled' }))}
      onSubmit={(v) =>
        question.resolve({
          host: (v.host ?? '').trim(),
          port: Number(v.port),
          database: v.database ?? '',
          user: v.user ?? '',
          password: v.password ? v.password : (found.password ?? randomBytes(18).toString('base64url')),
        })
      }
    />
  );
}
