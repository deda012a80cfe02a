/**
 * A SCRAM-SHA-256 verifier computed here, as libpq's PQencryptPasswordConn
 * does, so that `CREATE ROLE ... PASSWORD` never carries the plain password
 * to the server, where log_statement or pg_stat_activity could show it.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const ITERATIONS = 4096;

export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = ITERATIONS): string {
  const salted = pbkdf2Sync(Buffer.from(saslPrep(password), 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

// RFC 4013 SASLprep as PostgreSQL applies it (src/common/saslprep.c): non-ASCII
// spaces become a space, "commonly mapped to nothing" characters vanish, then
// NFKC. When the result holds a prohibited character, PostgreSQL uses the raw
// password, and so do we.
const NON_ASCII_SPACES = new Set([0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x200b, 0x202f, 0x205f, 0x3000]);
const MAPPED_TO_NOTHING = new Set([0xad, 0x34f, 0x1806, 0x180b, 0x180c, 0x180d, 0x200c, 0x200d, 0x2060, 0xfeff, ...range(0xfe00, 0xfe0f)]);
const PROHIBITED: [number, number][] = [[0x00, 0x1f], [0x7f, 0x9f], [0x340, 0x341], [0x200e, 0x200f], [0x202a, 0x202e], [0x206a, 0x206f], [0xe000, 0xf8ff], [0xfff9, 0xfffd]];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export function saslPrep(password: string): string {
  if (/^[\x20-\x7E]*$/.test(password)) return password;
  let mapped = '';
  for (const ch of password) {
    const cp = ch.codePointAt(0) as number;
    if (MAPPED_TO_NOTHING.has(cp)) continue;
    mapped += NON_ASCII_SPACES.has(cp) ? ' ' : ch;
  }
  mapped = mapped.normalize('NFKC');
  const prohibited = [...mapped].some((ch) => {
    const cp = ch.codePointAt(0) as number;
    return PROHIBITED.some(([lo, hi]) => cp >= lo && cp <= hi);
  });
  return mapped === '' || prohibited ? password : mapped;
}
