import { describe, expect, it } from 'vitest';
import { identifierProblem, quoteIdent, quoteLiteral } from '../../src/core/db/quote.js';
import { shellCommand, shellQuote } from '../../src/core/system/shell-quote.js';
import { planProvision } from '../../src/core/setup/provision-plan.js';
import { saslPrep } from '../../src/core/db/scram.js';
import { shellWords } from '../harness/fixes.js';

describe('quoting names and literals for SQL', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b', '"a""b"'],
    ['x; DROP TABLE y', '"x; DROP TABLE y"'],
    ['ünï cödé', '"ünï cödé"'],
  ])('identifier %j → %s', (name, quoted) => expect(quoteIdent(name)).toBe(quoted));

  it('literals double single quotes, and use E-strings (backslashes doubled) only when needed', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
  });

  it('refuses names PostgreSQL would change or reject, with the rule', () => {
    expect(identifierProblem('', 'role')).toMatch(/empty; allowed: 1 to 63 bytes/);
    expect(identifierProblem('x'.repeat(64), 'database')).toMatch(/is 64 bytes in UTF-8, and PostgreSQL would cut it to 63; allowed: at most 63 bytes/);
    expect(identifierProblem('ü'.repeat(32), 'role')).toMatch(/64 bytes/);
    expect(identifierProblem('pg_app', 'role')).toMatch(/reserves for its own roles/);
    expect(identifierProblem('public', 'role')).toMatch(/reserved/);
    expect(identifierProblem('public', 'database')).toBeUndefined();
    expect(identifierProblem('a"b', 'role')).toBeUndefined();
  });
});

describe('shell quoting of fixes', () => {
  it.each(['plain', 'a"b', 'x; DROP TABLE y', "it's", 'ünï cödé', '$(rm -rf /)', ''])('%j survives a round trip through a shell parser', (word) => {
    expect(shellWords(shellCommand(['psql', '-c', word]))[0]).toEqual(['psql', '-c', word]);
  });
  it('leaves plain words bare', () => expect(shellQuote('-p')).toBe('-p'));
});

describe('planProvision', () => {
  const verifier = () => 'SCRAM-SHA-256$4096:c2FsdA==$a:b';
  it('nothing there → role with its verifier, database owned by it; the password never in what is shown', () => {
    const steps = planProvision({ role: 'a"b', password: 'pw', database: 'x; DROP TABLE y' }, { roleExists: false, roleCanLogin: false, databaseExists: false }, verifier);
    expect(steps.map((s) => s.sql)).toEqual([`CREATE ROLE "a""b" LOGIN PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$a:b'`, `CREATE DATABASE "x; DROP TABLE y" OWNER "a""b"`]);
    expect(steps[0]?.shown).toBe(`CREATE ROLE "a""b" LOGIN PASSWORD '****'`);
  });
  it('an existing database owned by someone else → CONNECT and schema grants for the new role', () => {
    const steps = planProvision({ role: 'app', password: 'pw', database: 'd' }, { roleExists: false, roleCanLogin: false, databaseExists: true, databaseOwner: 'postgres' }, verifier);
    expect(steps.map((s) => s.kind)).toEqual(['create_role', 'grant_connect', 'grant_schema']);
    expect(steps[2]).toMatchObject({ runIn: 'target', sql: 'GRANT USAGE, CREATE ON SCHEMA public TO "app"' });
  });
  it('everything in place → nothing to do', () => {
    expect(planProvision({ role: 'app', password: 'pw', database: 'd' }, { roleExists: true, roleCanLogin: true, databaseExists: true, databaseOwner: 'app' }, verifier)).toEqual([]);
  });
  it('refuses to create a login role without a password, and names that would be cut', () => {
    expect(() => planProvision({ role: 'app', database: 'd' }, { roleExists: false, roleCanLogin: false, databaseExists: true }, verifier)).toThrow(/a password for role "app" is needed/);
    expect(() => planProvision({ role: 'r'.repeat(70), password: 'x', database: 'd' }, { roleExists: false, roleCanLogin: false, databaseExists: true }, verifier)).toThrow(/PostgreSQL would cut it to 63/);
  });
});

describe('saslPrep', () => {
  it('leaves ASCII alone, maps non-ASCII spaces and NFKC-normalises', () => {
    expect(saslPrep('pass word')).toBe('pass word');
    expect(saslPrep('a\u00A0b')).toBe('a b');
    expect(saslPrep('\uFB01')).toBe('fi');
    expect(saslPrep('a\u0007b')).toBe('a\u0007b'); // prohibited → raw, as PostgreSQL does
  });
});
