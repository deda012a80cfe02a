import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/core/config/dotenv.js';

describe('parseDotenv', () => {
  it('keeps the line of each value and understands quotes, export and comments', () => {
    const text = [
      '# the app settings',
      'DATABASE__HOST=db.internal   # inline comment',
      'export DATABASE__PORT=5433',
      '',
      "DATABASE__PASSWORD='p@ss:w/rd'",
      'DATABASE__NAME="conn\\"ector"',
      'MULTI="a',
      'b"',
      'EMPTY=',
    ].join('\n');
    const env = parseDotenv(text, '/x/.env');
    expect(env.entries.get('DATABASE__HOST')).toEqual({ key: 'DATABASE__HOST', value: 'db.internal', line: 2 });
    expect(env.entries.get('DATABASE__PORT')?.line).toBe(3);
    expect(env.entries.get('DATABASE__PASSWORD')).toMatchObject({ value: 'p@ss:w/rd', line: 5 });
    expect(env.entries.get('DATABASE__NAME')?.value).toBe('conn"ector');
    expect(env.entries.get('MULTI')).toMatchObject({ value: 'a\nb', line: 7 });
    expect(env.entries.get('EMPTY')?.value).toBe('');
    expect(env.malformed).toEqual([]);
  });

  it('reports lines that are not assignments', () => {
    const env = parseDotenv('GOOD=1\nthis is not valid\n', '.env');
    expect(env.malformed).toEqual([{ line: 2, text: 'this is not valid' }]);
  });

  it('keeps a # inside a single-quoted value', () => {
    expect(parseDotenv("P='a #b'", '.env').entries.get('P')?.value).toBe('a #b');
  });
});
