import { describe, expect, it } from 'vitest';
import { describeTarget, formatDatabaseUrl, maskUrlPassword, parseDatabaseUrl } from '../../src/core/config/url.js';

describe('parseDatabaseUrl', () => {
  it.each([
    ['postgresql://u:p@h:5433/x', { user: 'u', password: 'p', host: 'h', port: '5433', database: 'x' }],
    ['postgres://u@h/x', { user: 'u', host: 'h', database: 'x' }],
    ['postgresql+asyncpg://u:p%40ss%3Aw%2Frd@h:5433/x', { driver: 'asyncpg', user: 'u', password: 'p@ss:w/rd', host: 'h', port: '5433', database: 'x' }],
    ['postgresql+psycopg2://u:p@[::1]:5432/x?sslmode=require', { driver: 'psycopg2', user: 'u', password: 'p', host: '::1', port: '5432', database: 'x', sslmode: 'require' }],
    ['postgresql:///x?host=/var/run/postgresql', { database: 'x', host: '/var/run/postgresql' }],
    ['postgresql://%2Ftmp%2Fsock/x', { host: '/tmp/sock', database: 'x' }],
    ['postgresql+asyncpg://u:p@h/x?ssl=true', { driver: 'asyncpg', user: 'u', password: 'p', host: 'h', database: 'x', sslmode: 'require' }],
  ])('%s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it('refuses what is not a PostgreSQL URL, saying what is allowed', () => {
    expect(() => parseDatabaseUrl('mysql://u@h/x')).toThrow(/postgresql:\/\//);
    expect(() => parseDatabaseUrl('postgresql://h1,h2/x')).toThrow(/several hosts/);
  });
});

describe('formatting', () => {
  it('masks the password and encodes odd characters', () => {
    const url = formatDatabaseUrl({ user: 'a b', password: 'secret', host: 'h', port: 5433, database: 'x' });
    expect(url).toBe('postgresql://a%20b:****@h:5433/x');
    expect(url).not.toContain('secret');
  });
  it('reveals only when asked (for child processes)', () => {
    expect(formatDatabaseUrl({ user: 'u', password: 'p@ss', host: 'h', port: 1, database: 'x' }, { reveal: true })).toBe('postgresql://u:p%40ss@h:1/x');
  });
  it('puts a socket directory in the query', () => {
    expect(formatDatabaseUrl({ user: 'u', host: '/run/pg', port: 5432, database: 'x' })).toBe('postgresql://u@:5432/x?host=%2Frun%2Fpg');
  });
  it('masks a password in a raw URL echoed back', () => {
    expect(maskUrlPassword('postgresql+asyncpg://u:hunter2@h/x')).toBe('postgresql+asyncpg://u:****@h/x');
  });
  it('describes the target as user@host:port/db', () => {
    expect(describeTarget({ user: 'u', host: 'h', port: 5432, database: 'd' })).toBe('u@h:5432/d');
  });
});

describe('passwords typed without %-encoding, and passwords in the query', () => {
  it.each([
    ['postgresql://u:pa/ss@host:5433/db', 'pa/ss'],
    ['postgresql://u:p?w#x@host:5433/db?sslmode=require', 'p?w#x'],
    ['postgresql://u:a@b/c@host:5433/db', 'a@b/c'],
  ])('%s keeps the whole password and the right host', (url, password) => {
    const parts = parseDatabaseUrl(url);
    expect(parts).toMatchObject({ user: 'u', password, host: 'host', port: '5433', database: 'db' });
  });

  it('an @ in a query value is not the end of the userinfo', () => {
    expect(parseDatabaseUrl('postgresql://u@host/db?application_name=a@b')).toMatchObject({ user: 'u', host: 'host', database: 'db', applicationName: 'a@b' });
    expect(parseDatabaseUrl('postgresql://host/db?application_name=a@b')).toMatchObject({ host: 'host', database: 'db', applicationName: 'a@b' });
  });

  it('masks a password in the userinfo (even with / in it) and in a password= parameter', () => {
    expect(maskUrlPassword('postgresql://u:pa/ss@host/db')).toBe('postgresql://u:****@host/db');
    expect(maskUrlPassword('postgresql://rv_user@127.0.0.1/rv_db?password=SECRETPW&sslmode=disable')).toBe('postgresql://rv_user@127.0.0.1/rv_db?password=****&sslmode=disable');
  });
});

describe('a port in the query of a URL without userinfo', () => {
  it('postgresql://host:5432/db?application_name=a@b', () => {
    expect(parseDatabaseUrl('postgresql://host:5432/db?application_name=a@b')).toMatchObject({ host: 'host', port: '5432', database: 'db', applicationName: 'a@b' });
  });
});
