import { describe, expect, it, vi } from 'vitest';
import { fakeServices, KEYS, renderApp } from './helpers.js';

describe('Home screen', () => {
  it('shows the target, a spinner while connecting, then the server version', async () => {
    let finish: (v: Awaited<ReturnType<ReturnType<typeof fakeServices>['probe']>>) => void = () => {};
    const services = fakeServices({ probe: () => new Promise((r) => (finish = r)) });
    const app = renderApp(services);
    await app.waitFor((f) => f.includes('connecting…'), 'the spinner');
    expect(app.frame()).toContain('app@db.example:5432/connector_db');
    finish({ ok: true, elapsedMs: 7, server: { version: '15.19', versionNum: 150019, banner: '', database: 'connector_db', user: 'app', inRecovery: false, backendPid: 1 } });
    const frame = await app.waitFor((f) => f.includes('PostgreSQL 15.19'), 'the server version');
    expect(frame).toContain('connected as app in 7 ms');
    for (const entry of ['Doctor', 'Setup', 'Migrations', 'Backups', 'Query', 'Monitor', 'Settings']) expect(frame).toContain(entry);
    app.unmount();
  });

  it('shows the failure code and reason instead of crashing, and retries with r', async () => {
    const probe = vi
      .fn()
      .mockResolvedValueOnce({ ok: false, code: 'connection_refused', message: 'Nothing accepts connections at db.example:5432.', evidence: ['connect ECONNREFUSED 10.0.0.1:5432'] })
      .mockResolvedValueOnce({ ok: true, elapsedMs: 2, server: { version: '16.4', versionNum: 160004, banner: '', database: 'd', user: 'u', inRecovery: false, backendPid: 1 } });
    const app = renderApp(fakeServices({ probe }));
    const failed = await app.waitFor((f) => f.includes('connection_refused'), 'the failure');
    expect(failed).toContain('Nothing accepts connections at db.example:5432.');
    expect(failed).toContain('ECONNREFUSED');
    await app.press('r');
    await app.waitFor((f) => f.includes('PostgreSQL 16.4'), 'the retried connection');
    expect(probe).toHaveBeenCalledTimes(2);
    app.unmount();
  });

  it('opens the help overlay with ?, closes it with any key, and quits with q', async () => {
    const onQuit = vi.fn();
    const app = renderApp(fakeServices(), { onQuit });
    await app.waitFor((f) => f.includes('PostgreSQL 15.19'), 'connected');
    await app.press('?');
    const help = await app.waitFor((f) => f.includes('Keys · Home'), 'the help overlay');
    expect(help).toMatch(/\?\s+show all keys/);
    expect(help).toMatch(/esc\s+go back/);
    expect(help).toMatch(/q\s+quit connector-db/);
    expect(help).toMatch(/r\s+connect again/);
    await app.press('x');
    await app.waitFor((f) => !f.includes('Keys · Home') && f.includes('Doctor'), 'the help to close');
    expect(onQuit).not.toHaveBeenCalled();
    await app.press('q');
    expect(onQuit).toHaveBeenCalledTimes(1);
    app.unmount();
  });

  it('opens a screen from the menu and goes back with Esc', async () => {
    const app = renderApp(fakeServices());
    await app.waitFor((f) => f.includes('PostgreSQL 15.19'), 'connected');
    await app.press(KEYS.down);
    await app.press(KEYS.down);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('0.0.0-test · Migrations'), 'the Migrations screen');
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('Target'), 'Home again');
    app.unmount();
  });

  it('keys that arrive in one chunk (slow link, key repeat) act one after another: ↓ ↓ Enter opens the third entry', async () => {
    const app = renderApp(fakeServices());
    await app.waitFor((f) => f.includes('PostgreSQL 15.19'), 'connected');
    await app.press(`${KEYS.down}${KEYS.down}${KEYS.enter}`);
    await app.waitFor((f) => f.split('\n')[0]?.includes('Migrations') === true, 'the Migrations screen');
    app.unmount();
  });

  it('the hint line offers what works on Home: no esc back at the first screen', async () => {
    const app = renderApp(fakeServices());
    const frame = await app.waitFor((f) => f.includes('PostgreSQL 15.19'), 'connected');
    expect(frame.trimEnd().split('\n').pop()).toBe('r reconnect  enter open  ? help  q quit');
    app.unmount();
  });

  it('fits 80 columns: no line is wider than the terminal', async () => {
    const app = renderApp(fakeServices());
    const frame = await app.waitFor((f) => f.includes('PostgreSQL 15.19'), 'connected');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    app.unmount();
  });
});
