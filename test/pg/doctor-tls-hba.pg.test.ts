/**
 * A server of its own with ssl = on (self-signed certificate) and a
 * pg_hba.conf that takes TLS only, rejects one role and has no line for
 * another: tls_required, tls_verify_failed, no_hba_entry (both kinds), each
 * fixed the way the doctor says.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadCluster, startCluster, stopCluster, writeClusterFile, type ClusterInfo } from '../harness/cluster.js';
import { writeSelfSignedCert } from '../harness/tls.js';
import type { Project } from '../harness/settings.js';
import { check, createLoginRoles, doctor, targetProject } from '../harness/doctor.js';
import { shellWords } from '../harness/fixes.js';

const HBA = [
  'local   all   all                          trust',
  'host    all   cdb_rejected   127.0.0.1/32  reject',
  'hostssl all   postgres,cdb_rejected,cdb_tls   127.0.0.1/32  scram-sha-256',
];

describe('doctor against a TLS-only server', () => {
  let c: ClusterInfo;
  let certCopy: string;
  beforeAll(async () => {
    let crt = '';
    c = await startCluster({ conf: ['ssl = on'], hba: HBA, beforeStart: (dataDir) => (crt = writeSelfSignedCert(dataDir)) });
    certCopy = path.join(os.tmpdir(), `cdb-root-${c.port}.crt`);
    copyFileSync(crt, certCopy);
    await createLoginRoles(c, ['cdb_rejected', 'cdb_tls', 'cdb_nohba'], 'pw');
  });
  afterAll(() => stopCluster(c));

  /** Runs `body` with pg_hba.conf holding `text` (reloaded), then puts the test's own lines back. */
  const withHba = async (text: string, body: () => Promise<void>) => {
    writeClusterFile(c, 'pg_hba.conf', text);
    reloadCluster(c);
    try {
      await body();
    } finally {
      writeClusterFile(c, 'pg_hba.conf', HBA.join('\n') + '\n');
      reloadCluster(c);
    }
  };

  // Every call names DATABASE__SSLMODE: it stays on .env line 6, where the fixes point.
  const proj = (vars: Record<string, string | number>, env: Record<string, string> = {}): Project => targetProject({ host: c.host, port: c.port, database: 'postgres', user: 'cdb_tls', password: 'pw' }, vars, env);

  it('sslmode=disable against hostssl-only → tls_required on the TLS check; DATABASE__SSLMODE=require passes', async () => {
    const report = await doctor(proj({ DATABASE__SSLMODE: 'disable' }));
    const t = check(report, 'tls');
    expect(t.code).toBe('tls_required');
    expect(t.evidence.join('\n')).toMatch(/no pg_hba.conf entry for host "127.0.0.1", user "cdb_tls", database "postgres", no encryption/);
    expect(t.evidence).toContain('DATABASE__SSLMODE=disable (.env line 6)');
    expect(t.fixes[0]).toMatch(/^env DATABASE__SSLMODE=require connector-db doctor .*\.env line 6/);
    expect(check(report, 'auth').status).toBe('skipped');
    const fixed = await doctor(proj({ DATABASE__SSLMODE: 'require' }));
    expect(check(fixed, 'tls').message).toMatch(/^TLSv1\.[23], certificate not verified \(sslmode=require\)/);
    expect(check(fixed, 'auth').status).toBe('passed');
  });

  it('verify-full with a self-signed certificate → tls_verify_failed; trusting it with PGSSLROOTCERT passes', async () => {
    const report = await doctor(proj({ DATABASE__SSLMODE: 'verify-full' }));
    const t = check(report, 'tls');
    expect(t.code).toBe('tls_verify_failed');
    expect(t.message).toMatch(/could not be verified \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\) with sslmode=verify-full/);
    expect(t.fixes[0]).toContain(`openssl s_client -starttls postgres -connect 127.0.0.1:${c.port} -showcerts`);
    expect(t.fixes[1]).toContain('PGSSLROOTCERT=/path/to/root.crt');
    const fixed = await doctor(proj({ DATABASE__SSLMODE: 'verify-full' }, { PGSSLROOTCERT: certCopy }));
    expect(check(fixed, 'tls').message).toMatch(/certificate verified \(sslmode=verify-full\)/);
    expect(check(fixed, 'auth').status).toBe('passed');
    // The same CA named in DATABASE__URL (sslrootcert, as libpq and the app's drivers read it) is trusted too.
    const fromUrl = await doctor(proj({ DATABASE__URL: `postgresql://cdb_tls:pw@127.0.0.1:${c.port}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(certCopy)}`, DATABASE__SSLMODE: 'verify-full' }));
    expect(check(fromUrl, 'tls').message).toMatch(/certificate verified \(sslmode=verify-full\)/);
    expect(check(fromUrl, 'auth').status).toBe('passed');
  });

  it('a reject line → no_hba_entry saying a reject line matches first; the line put above it passes', async () => {
    const p = proj({ DATABASE__USER: 'cdb_rejected', DATABASE__SSLMODE: 'require' });
    const a = check(await doctor(p), 'auth');
    expect(a.code).toBe('no_hba_entry');
    expect(a.evidence.join('\n')).toMatch(/pg_hba.conf rejects connection for host "127.0.0.1", user "cdb_rejected"/);
    const line = /put this line above it: (.+)$/.exec(a.fixes[0] ?? '')?.[1];
    expect(line).toBe('host    postgres    cdb_rejected    127.0.0.1/32    scram-sha-256');
    await withHba([HBA[0], line, ...HBA.slice(1)].join('\n') + '\n', async () => {
      expect(check(await doctor(p), 'auth').status).toBe('passed');
    });
  });

  it('no line for the role → no_hba_entry with the exact line to append; appending it and reloading passes', async () => {
    const p = proj({ DATABASE__USER: 'cdb_nohba', DATABASE__SSLMODE: 'require' });
    const a = check(await doctor(p), 'auth');
    expect(a.code).toBe('no_hba_entry');
    expect(a.message).toContain('has no line that lets role "cdb_nohba" reach database "postgres"');
    const append = a.fixes.find((f) => f.includes('tee -a'));
    expect(append).toBeDefined();
    const echoed = shellWords(append as string)[0] as string[];
    expect(echoed[0]).toBe('echo');
    const line = echoed[1] as string;
    expect(line).toBe('host    postgres    cdb_nohba    127.0.0.1/32    scram-sha-256');
    expect(a.fixes.some((f) => f.includes("SELECT pg_reload_conf()"))).toBe(true);
    expect(a.fixes.some((f) => f.startsWith('docker compose exec db sh -c'))).toBe(true);
    const hbaFile = path.join(c.dataDir, 'pg_hba.conf');
    await withHba(readFileSync(hbaFile, 'utf8') + line + '\n', async () => {
      expect(check(await doctor(p), 'auth').status).toBe('passed');
    });
  });
});
