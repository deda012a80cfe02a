/**
 * The setup guide's engine, shared by `connector-db setup` and the Setup
 * screen: take the answers, let the doctor say what is missing, start the
 * devdb when nothing is reachable, create the role / database / privileges
 * with an admin login, write `.env` after showing its diff, migrate to head.
 * Every question goes through the `asker` (flags and prompts for the
 * command, forms for the screen), so both faces run the same steps.
 */
import { readFile } from 'node:fs/promises';
import type { Settings, Target } from '../config/resolve.js';
import { describeTarget } from '../config/url.js';
import { parseDotenv } from '../config/dotenv.js';
import type { CheckResult, DoctorReport } from '../diagnostics/check-types.js';
import { runDoctorAction } from '../diagnostics/actions.js';
import { ToolError } from '../errors.js';
import { adminTargetOf, type AdminLogin } from './admin-login.js';
import { envDiffLines, planEnvFile, type EnvPlan } from './env-plan.js';
import { writeEnvFile } from './env-write.js';
import { executeProvision, planWithAdmin } from './provision.js';
import { assertCreatableNames, type ProvisionStep } from './provision-plan.js';
import { envIntent, nextStep, withAnswers, type SetupAnswers } from './setup-plan.js';

export interface SetupStep {
  id: 'answers' | 'check' | 'devdb' | 'provision' | 'env' | 'migrate';
  status: 'done' | 'skipped';
  message: string;
  details: string[];
}

export interface SetupAsker {
  /** The target to set up; `found` holds the current settings' values. Must return a password when the role may need creating. */
  answers(found: SetupAnswers, sources: Settings['targetSources']): Promise<SetupAnswers>;
  /** Nothing answers at the address: start the development server? */
  useDevdb(check: CheckResult): Promise<boolean>;
  /** An admin login for what the role cannot do itself; undefined gives up. */
  adminLogin(reasons: CheckResult[]): Promise<AdminLogin | undefined>;
  confirmProvision(steps: ProvisionStep[]): Promise<boolean>;
  confirmEnv(plan: EnvPlan, diff: string[], notes: string[]): Promise<boolean>;
}

export interface DevdbStarted {
  port: number;
  socketDir: string;
  superuser: string;
  version?: string;
}

export interface SetupDeps {
  env: Record<string, string | undefined>;
  doctor: (settings: Settings) => Promise<DoctorReport>;
  /** Starts (creating if needed) the development server. */
  devdbStart?: () => Promise<DevdbStarted>;
  /** `upgrade head`; absent when the migrations engine is not in this build. */
  migrate?: (settings: Settings) => Promise<{ message: string; details: string[] }>;
  /** The .env to write (the one read, or ./.env). */
  envFilePath: string;
  onStep?: (step: SetupStep) => void;
}

export interface SetupResult {
  ok: true;
  target: string;
  steps: SetupStep[];
  env: { path: string; changes: ReturnType<typeof envDiffLines>; written: boolean };
  settings: Settings;
}

export async function runSetup(settings: Settings, asker: SetupAsker, deps: SetupDeps): Promise<SetupResult> {
  const steps: SetupStep[] = [];
  const step = (s: SetupStep) => {
    steps.push(s);
    deps.onStep?.(s);
  };
  const t = settings.target;
  let answers = await asker.answers({ host: t.host, port: t.port, database: t.database, user: t.user, ...(t.password !== undefined ? { password: t.password } : {}) }, settings.targetSources);
  assertCreatableNames(answers.user, answers.database);
  let current = withAnswers(settings, answers);
  step({ id: 'answers', status: 'done', message: `target ${describeTarget(current.target)}`, details: [] });

  let admin: Target | undefined;
  let devdbUsed = false;
  let provisioned = false;
  for (let round = 0; ; round++) {
    const report = await deps.doctor(current);
    const next = nextStep(report);
    if (next.kind === 'ready') {
      step({ id: 'check', status: 'done', message: `${describeTarget(current.target)}: logged in, database present, may create tables`, details: [] });
      break;
    }
    if (round >= 3) throw blocked(report.checks.find((c) => c.status === 'failed'));
    if (next.kind === 'blocked') throw blocked(next.check);
    if (next.kind === 'unreachable') {
      if (devdbUsed || !deps.devdbStart || !(await asker.useDevdb(next.check))) throw blocked(next.check);
      const dev = await deps.devdbStart();
      devdbUsed = true;
      answers = { ...answers, host: '127.0.0.1', port: dev.port };
      current = withAnswers(settings, answers);
      admin = { host: dev.socketDir, port: dev.port, user: dev.superuser, database: 'postgres' };
      step({ id: 'devdb', status: 'done', message: `development server running on 127.0.0.1:${dev.port}${dev.version ? ` (PostgreSQL ${dev.version})` : ''}`, details: [] });
      continue;
    }
    if (provisioned) throw blocked(next.reasons[0]);
    provisioned = true;
    if (!admin && next.needsAdmin) {
      const login = await asker.adminLogin(next.reasons);
      if (!login) throw blocked(next.reasons[0]);
      admin = adminTargetOf(login, current.target, deps.env);
    }
    if (!admin) {
      // Only the database is missing and the role may create it itself.
      const outcome = await runDoctorAction('create_database', { settings: current, env: deps.env });
      step({ id: 'provision', status: 'done', message: outcome.summary, details: outcome.ran });
      continue;
    }
    const wish = { role: answers.user, ...(answers.password !== undefined ? { password: answers.password } : {}), database: answers.database, resetPassword: next.resetPassword };
    const { steps: plan, open } = await planWithAdmin(current, wish, admin, deps.env);
    if (plan.length === 0) throw blocked(next.reasons[0]);
    if (!(await asker.confirmProvision(plan))) throw new ToolError('cancelled', 'setup stopped before creating anything', { exitCode: 1 });
    const done = await executeProvision(plan, open);
    step({ id: 'provision', status: 'done', message: done.map((d) => d.step.summary).join('; '), details: done.map((d) => d.step.shown) });
  }

  const envText = await readFile(deps.envFilePath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new ToolError('failed', `${deps.envFilePath} cannot be read (${error.code ?? error.message})`);
  });
  const fileUrl = envText !== undefined ? parseDotenv(envText, deps.envFilePath).entries.get('DATABASE__URL')?.value : undefined;
  const intent = envIntent(settings, answers, fileUrl);
  const plan = planEnvFile(deps.envFilePath, envText, intent.changes);
  const diff = envDiffLines(plan);
  let written = false;
  if (plan.changes.length === 0) {
    step({ id: 'env', status: 'skipped', message: `${deps.envFilePath} already holds these settings`, details: intent.notes });
  } else if (await asker.confirmEnv(plan, diff, intent.notes)) {
    const where = await writeEnvFile(deps.envFilePath, plan.text);
    written = true;
    step({ id: 'env', status: 'done', message: `wrote ${where} (mode 0600)`, details: [...diff, ...intent.notes] });
  } else {
    step({ id: 'env', status: 'skipped', message: `${deps.envFilePath} left as it was`, details: diff });
  }

  if (deps.migrate) {
    const m = await deps.migrate(current);
    step({ id: 'migrate', status: 'done', message: m.message, details: m.details });
  } else {
    step({ id: 'migrate', status: 'skipped', message: 'migrations: not run (--no-migrate); later: connector-db migrate upgrade head', details: [] });
  }
  return { ok: true, target: describeTarget(current.target), steps, env: { path: deps.envFilePath, changes: diff, written }, settings: current };
}

function blocked(check: CheckResult | undefined): ToolError {
  if (!check) return new ToolError('failed', 'setup could not make the target work');
  return new ToolError(check.code === 'transaction_pooler' || !check.code ? 'failed' : check.code, check.message, { evidence: check.evidence, fixes: check.fixes });
}
