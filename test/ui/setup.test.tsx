/**
 * The Setup screen with a fake engine that asks the real questions in the
 * real order: the answers form (password never shown), an admin login, the
 * statements to run, the .env diff; then done, and Enter goes Home.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fakeServices, KEYS, renderApp } from './helpers.js';
import type { SetupService } from '../../src/app/services.js';
import { result } from '../../src/core/diagnostics/check-types.js';
import type { SetupAnswers } from '../../src/core/setup/setup-plan.js';
import type { AdminLogin } from '../../src/core/setup/admin-login.js';
import { resolveSettings } from '../../src/core/config/resolve.js';
import { runSetup } from '../../src/core/setup/setup.js';

const found: SetupAnswers = { host: 'localhost', port: 5432, database: 'connector_db', user: 'connector_user' };
const sources = { host: undefined, port: undefined, database: undefined, user: undefined, password: undefined, sslmode: undefined };

function engine(record: { answers?: SetupAnswers; admin?: AdminLogin | undefined; confirmations: boolean[] }): SetupService {
  return {
    run: async (asker, onStep) => {
      const answers = await asker.answers(found, sources);
      record.answers = answers;
      onStep({ id: 'answers', status: 'done', message: `target ${answers.user}@${answers.host}:${answers.port}/${answers.database}`, details: [] });
      record.admin = await asker.adminLogin([result('auth', 'failed', 'password authentication failed', { code: 'auth_failed' })]);
      if (!record.admin) throw Object.assign(new Error('The server rejected the password'), { code: 'auth_failed', fixes: ['sudo -u postgres createuser --login --pwprompt connector_user'] });
      record.confirmations.push(await asker.confirmProvision([{ kind: 'create_role', runIn: 'maintenance', sql: 'x', shown: `CREATE ROLE "${answers.user}" LOGIN PASSWORD '****'`, summary: 'create role' }]));
      onStep({ id: 'provision', status: 'done', message: `create role "${answers.user}"`, details: [] });
      record.confirmations.push(
        await asker.confirmEnv({ path: '/app/.env', exists: true, text: '', changes: [], unchanged: [] }, [`+ DATABASE__USER=${answers.user}`, '+ DATABASE__PASSWORD=****'], []),
      );
      onStep({ id: 'env', status: 'done', message: 'wrote /app/.env (mode 0600)', details: [] });
      onStep({ id: 'migrate', status: 'done', message: 'migrated base → 003 (3 migrations): now at 003 (head)', details: [] });
      return { target: `${answers.user}@${answers.host}:${answers.port}/${answers.database}`, steps: [], envWritten: true };
    },
  };
}

async function typeText(app: ReturnType<typeof renderApp>, text: string) {
  for (const ch of text) await app.press(ch);
}

describe('Setup screen', () => {
  it('answers → admin login → statements → .env diff → done; passwords never on screen; Esc goes Home with the settings setup wrote', { timeout: 20_000 }, async () => {
    const record: { answers?: SetupAnswers; admin?: AdminLogin | undefined; confirmations: boolean[] } = { confirmations: [] };
    let reloads = 0;
    const reloaded = () => {
      reloads++;
      return fakeServices({ connection: { target: 'a"b q@localhost:5432/connector_db' } });
    };
    const app = renderApp(fakeServices({ setup: engine(record) }), { reloadServices: reloaded });
    await app.waitFor((f) => f.includes('PostgreSQL 15.19'), 'Home');
    await app.press(KEYS.down);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes("Where should the app's database be?"), 'the answers form');
    expect(app.frame()).toContain('password: empty generates a strong one');
    await app.press(KEYS.enter); // host
    await app.press(KEYS.enter); // port
    await app.press(KEYS.enter); // database
    for (let i = 0; i < 'connector_user'.length; i++) await app.press('\u007F');
    await typeText(app, 'a"b q');
    await app.press(KEYS.enter);
    await typeText(app, 'app-S3cret');
    expect(app.frame()).not.toContain('app-S3cret');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('needs an admin login'), 'the admin login');
    await app.press(KEYS.enter);
    await typeText(app, 'root-S3cret');
    expect(app.frame()).not.toContain('root-S3cret');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Run these statements with the admin login?'), 'the statements');
    expect(app.frame()).toContain(`CREATE ROLE "a"b q" LOGIN PASSWORD '****';`);
    await app.press('y');
    await app.waitFor((f) => f.includes('Write these changes to /app/.env (mode 0600)?'), 'the .env diff');
    expect(app.frame()).toContain('+ DATABASE__PASSWORD=****');
    await app.press('y');
    const done = await app.waitFor((f) => f.includes('is set up and .env is written'), 'done');
    expect(done).toContain('migrated base → 003');
    expect(done).not.toMatch(/S3cret/);
    expect(record.answers).toEqual({ host: 'localhost', port: 5432, database: 'connector_db', user: 'a"b q', password: 'app-S3cret' });
    expect(record.admin).toEqual({ user: 'postgres', password: 'root-S3cret' });
    expect(record.confirmations).toEqual([true, true]);
    // Esc, not only Enter: either way Home reads the .env setup wrote, not the old target.
    await app.press(KEYS.escape);
    const home = await app.waitFor((f) => f.includes('Target') && f.includes('Doctor'), 'Home');
    expect(reloads).toBe(1);
    expect(home).toContain('a"b q@localhost:5432/connector_db');
    app.unmount();
  });

  it('an empty password is generated; a name PostgreSQL would cut is refused with the rule before anything runs', async () => {
    const record: { answers?: SetupAnswers; confirmations: boolean[] } = { confirmations: [] };
    const app = renderApp(fakeServices({ setup: engine(record) }), { initialScreen: 'setup' });
    await app.waitFor((f) => f.includes("Where should the app's database be?"), 'the answers form');
    await app.press(KEYS.enter);
    await app.press(KEYS.enter);
    await typeText(app, 'x'.repeat(60));
    await app.press(KEYS.enter);
    await app.press(KEYS.enter);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('PostgreSQL would cut it to 63'), 'the refusal');
    expect(record.answers).toBeUndefined();
    app.unmount();
  });

  it('keys typed ahead in one read fill the fields in order and submit (tab, backspace and enter inside the chunk)', async () => {
    const record: { answers?: SetupAnswers; admin?: AdminLogin | undefined; confirmations: boolean[] } = { confirmations: [] };
    const app = renderApp(fakeServices({ setup: engine(record) }), { initialScreen: 'setup' });
    await app.waitFor((f) => f.includes("Where should the app's database be?"), 'the answers form');
    // host, port, database kept; the user erased and retyped; Tab to the password; Enter submits.
    await app.press(`\r\r\r${'\u007F'.repeat('connector_user'.length)}app_user\tS3cret\r`);
    await app.waitFor((f) => f.includes('needs an admin login'), 'the admin login');
    expect(record.answers).toEqual({ host: 'localhost', port: 5432, database: 'connector_db', user: 'app_user', password: 'S3cret' });
    await app.press('\rroot-pw\r');
    await app.waitFor((f) => f.includes('Run these statements with the admin login?'), 'the statements');
    expect(record.admin).toEqual({ user: 'postgres', password: 'root-pw' });
    app.unmount();
  });

  it('no admin login (esc) → the failure with its fix, and r starts again', async () => {
    const record: { answers?: SetupAnswers; admin?: AdminLogin | undefined; confirmations: boolean[] } = { confirmations: [] };
    const service = engine(record);
    const run = vi.spyOn(service, 'run');
    const app = renderApp(fakeServices({ setup: service }), { initialScreen: 'setup' });
    await app.waitFor((f) => f.includes("Where should the app's database be?"), 'the answers form');
    for (let i = 0; i < 5; i++) await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('needs an admin login'), 'the admin login');
    await app.press(KEYS.escape);
    const failed = await app.waitFor((f) => f.includes('auth_failed: The server rejected the password'), 'the failure');
    expect(failed).toContain('sudo -u postgres createuser --login --pwprompt connector_user');
    expect(record.answers?.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await app.press('r');
    await app.waitFor((f) => f.includes("Where should the app's database be?"), 'the form again');
    expect(run).toHaveBeenCalledTimes(2);
    app.unmount();
  });

  it('a URL typed into the admin login never shows its password, not even a character of it', { timeout: 20_000 }, async () => {
    const record: { answers?: SetupAnswers; admin?: AdminLogin | undefined; confirmations: boolean[] } = { confirmations: [] };
    const app = renderApp(fakeServices({ setup: engine(record) }), { initialScreen: 'setup' });
    await app.waitFor((f) => f.includes("Where should the app's database be?"), 'the answers form');
    for (let i = 0; i < 5; i++) await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('needs an admin login'), 'the admin login');
    for (let i = 0; i < 'postgres'.length; i++) await app.press('\u007F');
    const password = 'AdminSecret99';
    const url = `postgresql://postgres:${password}@127.0.0.1:5432/postgres`;
    const passwordAt = url.indexOf(password);
    for (let n = 1; n <= url.length; n++) {
      await app.press(url[n - 1] as string);
      const typed = password.slice(0, Math.max(0, Math.min(password.length, n - passwordAt)));
      if (typed.length >= 3) expect(app.frame()).not.toContain(typed);
    }
    const frame = await app.waitFor((f) => f.includes('postgresql://postgres:****@127.0.0.1:5432/postgres'), 'the masked URL');
    expect(frame).not.toContain(password);
    await app.press(KEYS.enter);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Run these statements with the admin login?'), 'the statements');
    expect(record.admin).toEqual({ url });
    app.unmount();
  });

  it('the .env diff on screen (the real planner) masks the old password of a DATABASE__URL', { timeout: 20_000 }, async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-setup-ui-'));
    writeFileSync(path.join(cwd, '.env'), 'DATABASE__URL=postgresql://rv_user:OLDSECRET@127.0.0.1:5432/rv\n');
    const settings = resolveSettings({ env: {}, cwd, homeDir: cwd, shippedMigrationsDir: '/x' });
    const setup: SetupService = {
      run: async (asker, onStep) => {
        // A doctor with nothing to say: straight to the .env step.
        const r = await runSetup(settings, asker, { env: {}, doctor: async () => ({ ok: true, checks: [] }), envFilePath: path.join(cwd, '.env'), onStep });
        return { target: r.target, steps: r.steps, envWritten: r.env.written };
      },
    };
    const app = renderApp(fakeServices({ setup }), { initialScreen: 'setup' });
    await app.waitFor((f) => f.includes("Where should the app's database be?"), 'the answers form');
    for (let i = 0; i < 5; i++) await app.press(KEYS.enter);
    const diff = await app.waitFor((f) => f.includes('Write these changes to'), 'the .env diff');
    expect(diff).toContain('- DATABASE__URL=postgresql://rv_user:****@127.0.0.1:5432/rv');
    expect(diff).not.toContain('OLDSECRET');
    await app.press('y');
    const done = await app.waitFor((f) => f.includes('is set up and .env is written'), 'done');
    expect(done).not.toContain('OLDSECRET');
    app.unmount();
  });
});
