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
