/** The setup command's asker (flags, else prompts on stderr) and its output. */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { CommandContext } from './context.js';
import { askSecret, askText, confirm } from './prompt.js';
import { ToolError } from '../core/errors.js';
import { describeTarget } from '../core/config/url.js';
import { maskTypedUrl, textSecretSpans } from '../core/redact/text.js';
import { runSetup, type SetupAsker, type SetupStep } from '../core/setup/setup.js';
import { runDoctor } from '../core/diagnostics/doctor.js';
import type { SetupAnswers } from '../core/setup/setup-plan.js';
import { devdbDeps, devdbRoot } from './devdb-run.js';
import { devdbStart } from '../core/devdb/devdb.js';
import { setupMigrateFor } from '../core/setup/migrate-step.js';
import { SETTINGS } from '../core/config/spec.js';

/** An answer gets the same rule as the setting it becomes, so setup never writes a .env the next command rejects. */
function checked(key: 'DATABASE__HOST' | 'DATABASE__NAME' | 'DATABASE__USER', value: string, flag: string): string {
  if (!SETTINGS[key].schema.safeParse(value).success) throw new ToolError('usage', `${flag} ${JSON.stringify(value)} is invalid; allowed: ${SETTINGS[key].allowed}`, { exitCode: 2 });
  return value;
}

interface SetupOpts {
  host?: string;
  port?: string;
  database?: string;
  user?: string;
  passwordStdin?: boolean;
  generatePassword?: boolean;
  adminUrl?: string;
  adminUser?: string;
  devdb?: boolean;
  migrate?: boolean;
  yes?: boolean;
}

export async function runSetupCommand(ctx: CommandContext, raw: Record<string, unknown>): Promise<number> {
  const opts = raw as SetupOpts;
  const settings = ctx.settings();
  const { out } = ctx;
  const p = out.palette;
  const yes = Boolean(opts.yes);
  const ask = ctx.interactive && !yes;
  const stdinPassword = opts.passwordStdin ? await readStdin(ctx) : undefined;
  if (opts.adminUrl !== undefined && urlHasPassword(opts.adminUrl)) {
    out.note('connector-db: warning: the password in --admin-url is visible to every user of this machine in the process list (ps, /proc/PID/cmdline); pass it in CONNECTOR_DB_ADMIN_URL instead');
  }

  const asker: SetupAsker = {
    async answers(found, sources) {
      if (!out.json) {
        out.line(p.bold('Found'));
        const rows: [string, string, string | undefined][] = [
          ['host', found.host, sources.host?.label],
          ['port', String(found.port), sources.port?.label],
          ['database', found.database, sources.database?.label],
          ['user', found.user, sources.user?.label],
          ['password', found.password !== undefined ? '****' : '(not set)', sources.password?.label],
        ];
        for (const [k, v, s] of rows) out.line(`  ${k.padEnd(9)} ${v}  ${p.dim(s ?? 'default')}`);
        out.line();
      }
      const pick = async (flag: string | undefined, question: string, fallback: string, name: string) =>
        flag !== undefined ? flag : ask ? askText(ctx, question, fallback, name) : fallback;
      const host = checked('DATABASE__HOST', await pick(opts.host, 'Host (name, IP or socket directory)?', found.host, '--host'), '--host');
      const portText = await pick(opts.port, 'Port?', String(found.port), '--port');
      const port = Number(portText);
      if (!/^\d+$/.test(portText.trim()) || port < 1 || port > 65535) throw new ToolError('usage', `port ${JSON.stringify(portText)} is not a port; allowed: 1 to 65535`, { exitCode: 2 });
      const database = checked('DATABASE__NAME', await pick(opts.database, 'Database?', found.database, '--database'), '--database');
      const user = checked('DATABASE__USER', await pick(opts.user, "The app's role?", found.user, '--user'), '--user');
      const answers: SetupAnswers = { host, port, database, user };
      const password = stdinPassword ?? found.password ?? (await choosePassword(ctx, user, Boolean(opts.generatePassword), ask));
      return { ...answers, password };
    },
    async useDevdb(check) {
      if (!out.json) out.note(`connector-db: ${check.code}: ${check.message}`);
      if (opts.devdb) return true;
      if (!ask) return false;
      return confirm(ctx, 'Nothing answers there. Start a development PostgreSQL owned by connector-db (connector-db devdb) and use it?', false);
    },
    async adminLogin(reasons) {
      const url = opts.adminUrl ?? ctx.env.CONNECTOR_DB_ADMIN_URL;
      if (url) return { url };
      if (!ask && !opts.adminUser) {
        throw new ToolError('usage', `${reasons.map((r) => r.code).join(', ')}: creating what is missing needs an admin login; set CONNECTOR_DB_ADMIN_URL (or pass --admin-url URL)`, { exitCode: 2, evidence: reasons.map((r) => r.message) });
      }
      for (const r of reasons) out.note(`connector-db: ${r.code}: ${r.message}`);
      const who = opts.adminUser ?? (await askText(ctx, 'Admin login to create them (a URL, or a role name)?', 'postgres', '--admin-url', { mask: maskTypedUrl }));
      if (/^postgres(ql)?(\+\w+)?:\/\//.test(who)) return { url: who };
      if (!ctx.interactive) return { user: who };
      const password = await askSecret(ctx, `Password for ${who} (empty: none, or ~/.pgpass): `, '--admin-url');
      return { user: who, ...(password ? { password } : {}) };
    },
    async confirmProvision(steps) {
      if (!out.json) {
        out.line(p.bold('To create, with the admin login'));
        for (const s of steps) out.line(`  ${s.shown};`);
      }
      return confirm(ctx, 'Run these statements?', yes);
    },
    async confirmEnv(plan, diff, notes) {
      if (!out.json) {
        out.line(p.bold(`${plan.exists ? 'Changes to' : 'New file'} ${plan.path}`) + p.dim(' (mode 0600)'));
        for (const d of diff) out.line(`  ${d.startsWith('+') ? p.green(d) : p.red(d)}`);
        for (const n of notes) out.line(`  ${p.yellow('note')} ${n}`);
      }
      return confirm(ctx, `Write ${path.basename(plan.path)}?`, yes);
    },
  };

  const devdb = await devdbDeps(ctx);
  const result = await runSetup(settings, asker, {
    env: ctx.env,
    doctor: (s) => runDoctor({ settings: s, deps: { env: ctx.env } }),
    devdbStart: async () => {
      const info = await devdbStart(devdbRoot(ctx.env, os.homedir()), devdb);
      return { port: info.port as number, socketDir: info.socketDir, superuser: info.superuser, ...(info.version ? { version: info.version } : {}) };
    },
    ...(opts.migrate === false ? {} : await setupMigrateFor(settings)),
    envFilePath: settings.envFilePath ?? path.resolve(ctx.cwd, ctx.globals.envFile ?? '.env'),
    onStep: (s) => printStep(ctx, s),
  });
  out.emit({ ok: true, target: result.target, steps: result.steps, env: result.env }, () => {
    out.line();
    out.line(`${p.green('✓')} ${p.bold('Set up')} ${describeTarget(result.settings.target)}`);
    out.line(p.dim('  next: connector-db doctor   # every check, now green'));
  });
  return 0;
}

function printStep(ctx: CommandContext, s: SetupStep): void {
  const { out } = ctx;
  if (out.json) return;
  const mark = s.status === 'done' ? out.palette.green('✓') : out.palette.dim('–');
  out.line(`${mark} ${s.message}`);
  if (s.id === 'provision') for (const d of s.details) out.line(`    ${out.palette.dim(d)}`);
}

async function choosePassword(ctx: CommandContext, user: string, generate: boolean, ask: boolean): Promise<string> {
  if (generate) return randomBytes(18).toString('base64url');
  if (!ask) {
    throw new ToolError('usage', `no password for role "${user}": set DATABASE__PASSWORD, or pass --password-stdin or --generate-password`, { exitCode: 2 });
  }
  const first = await askSecret(ctx, `Password for role ${user} (empty: generate one): `, '--password-stdin');
  if (first === '') return randomBytes(18).toString('base64url');
  const again = await askSecret(ctx, 'Again: ', '--password-stdin');
  if (again !== first) throw new ToolError('usage', 'the two passwords differ', { exitCode: 2 });
  return first;
}

async function readStdin(ctx: CommandContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new ToolError('usage', '--password-stdin read an empty password', { exitCode: 2 });
  return text;
}

/** A userinfo password or a password= parameter (the URL is checked properly when used). */
function urlHasPassword(url: string): boolean {
  return textSecretSpans(url).length > 0;
}
