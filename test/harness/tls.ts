/** A self-signed server certificate for a test cluster (openssl is on the machine). */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { own } from './cluster.js';

/** Writes server.crt / server.key into the data dir (CN=localhost, SAN localhost and 127.0.0.1); returns the certificate's path. */
export function writeSelfSignedCert(dataDir: string): string {
  const crt = path.join(dataDir, 'server.crt');
  const key = path.join(dataDir, 'server.key');
  execFileSync('openssl', ['req', '-new', '-x509', '-days', '2', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', crt], { stdio: 'ignore' });
  chmodSync(key, 0o600);
  own(crt);
  own(key);
  return crt;
}
