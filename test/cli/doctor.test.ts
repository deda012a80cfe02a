/**
 * `connector-db doctor` as scripts see it (the built binary; no server
 * needed for these): the --json shape, exit codes, --timeout, and bad
 * settings as a report.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './run-cli.js';

describe('connector-db doctor (no server)', () => {
  it('--json: {ok, checks:[{id, status, code?, message, evidence, fixes}]}; refused is exit 1 at once', () => {
    const started = Date.now();
    const r = runCli(['doctor', '--json'], { env: cleanEnv({ DATABASE__HOST: '127.0.0.2', DATABASE__PORT: '1', DATABASE__EXT_PORT: '2', DATABASE__INT_PORT: '3' }) });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.checks).toHaveLength(14);
    for (const c of doc.checks) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'status', 'message', 'evidence', 'fixes']));
      expect(['passed', 'failed', 'warning', 'skipped']).toContain(c.status);
    }
    const reach = doc.checks.find((c: { id: string }) => c.id === 'reachable');
    expect(reach).toMatchObject({ status: 'failed', code: 'connection_refused' });
    expect(reach.evidence).toContain('DATABASE__PORT=1 (env)');
    expect(doc.checks.filter((c: { status: string }) => c.status === 'skipped')).toHaveLength(11);
  });

  it('text: each check on its line, the failure with evidence and fix, a summary', () => {
    const r = runCli(['doctor'], { env: cleanEnv({ DATABASE__HOST: '127.0.0.2', DATABASE__PORT: '1', DATABASE__EXT_PORT: '2', DATABASE__INT_PORT: '3', DATABASE__PASSWORD: 'hunter2' }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^connector-db doctor · connector_user@127\.0\.0\.2:1\/connector_db\n/);
    expect(r.stdout).toMatch(/✗ Server reachable\s+connection_refused\n {4}Nothing accepts connections at 127\.0\.0\.2:1/);
    expect(r.stdout).toMatch(/evidence {2}connect ECONNREFUSED 127\.0\.0\.2:1/);
    expect(r.stdout).toMatch(/fix {7}sudo systemctl start postgresql/);
    expect(r.stdout).toMatch(/– TLS\s+skipped: needs "Server reachable" \(connection_refused\)/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('2 passed, 1 failed, 11 skipped');
    expect(r.stdout).not.toContain('hunter2');
    expect(r.stdout).not.toMatch(/\u001B\[/);
  });

  it('--timeout bounds a host that accepts and never answers', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const { spawn } = await import('node:child_process');
      const { BIN } = await import('./run-cli.js');
      const started = Date.now();
      const out = await new Promise<{ code: number; stdout: string }>((resolve) => {
        const child = spawn(BIN, ['doctor', '--json', '--timeout', '1'], { env: cleanEnv({ DATABASE__HOST: '127.0.0.1', DATABASE__PORT: String(port) }), cwd: mkdtempSync(path.join(os.tmpdir(), 'cdb-cwd-')) });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
      });
      const elapsed = Date.now() - started;
      expect(out.code).toBe(1);
      expect(elapsed).toBeGreaterThanOrEqual(1000);
      expect(elapsed).toBeLessThan(4000);
      const reach = JSON.parse(out.stdout).checks.find((c: { id: string }) => c.id === 'reachable');
      expect(reach.code).toBe('connection_timeout');
      expect(reach.message).toContain('within 1 s');
      expect(reach.evidence).toContain('DATABASE__PORT=' + port + ' (env)');
    } finally {
      silent.close();
    }
  });

  it('invalid settings are the settings check failing (exit 2), with the .env line; a bad --timeout is named as a flag', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-proj-'));
    writeFileSync(path.join(cwd, '.env'), 'DATABASE__PORT=eighty\n');
    const r = runCli(['doctor', '--json'], { cwd });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.checks[0]).toMatchObject({ id: 'settings', status: 'failed', code: 'config_invalid', evidence: ['DATABASE__PORT="eighty" from .env line 1 is invalid; allowed: an integer from 1 to 65535'] });
    const t = runCli(['doctor', '--timeout', 'soon']);
    expect(t.code).toBe(2);
    expect(t.stdout).toContain('DATABASE__CONNECT_TIMEOUT="soon" from flag --timeout is invalid; allowed: a number of seconds from 0.1 to 3600');
  });
});
