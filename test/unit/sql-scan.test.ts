import { describe, expect, it } from 'vitest';
import { isCompleteInput, scanInput, splitScript } from '../../src/core/query/sql-scan.js';

describe('where statements end (psql lexer rules)', () => {
  it.each([
    ['select 1;', true],
    ['select 1', false],
    ['', false],
    ['   \n', false],
    ["select ';'", false],
    ["select ';';", true],
    ["select 'it''s;'", false],
    ["select E'a\\';b'", false],
    ["select E'a\\';b';", true],
    ['select "a;b"', false],
    ['select $$ ; $$', false],
    ['select $$ ; $$;', true],
    ['select $tag$ $$ ; $tag$;', true],
    ['select $1;', true],
    ['select 1 -- ;', false],
    ['select 1 /* ; /* nested ; */ still ; */', false],
    ['select 1 /* ; */;', true],
    ['create rule r as on insert to t do (insert into a values (1); insert into b values (2))', false],
    ['create rule r as on insert to t do (insert into a values (1); insert into b values (2));', true],
    ['\\dt', true],
    ['\\d jobs', true],
    ['select 1; select', false],
  ])('%j complete: %s', (text, complete) => {
    expect(isCompleteInput(text)).toBe(complete);
  });

  it('cuts statements and backslash commands with their offsets, dropping comment-only pieces', () => {
    const input = "select 1;\n-- just a comment;\n\\dt job*\n  insert into t values ('a;b');  ";
    const { pieces, rest } = scanInput(input);
    expect(rest).toBeUndefined();
    expect(pieces).toEqual([
      { kind: 'sql', text: 'select 1', start: 0 },
      { kind: 'sql', text: '-- just a comment', start: 10 },
      { kind: 'meta', text: '\\dt job*', start: 29 },
      { kind: 'sql', text: "insert into t values ('a;b')", start: 40 },
    ].filter((p) => !p.text.startsWith('--')));
    expect(input.slice(40, 40 + 28)).toBe("insert into t values ('a;b')");
  });

  it('keeps an unterminated last statement for scripts', () => {
    expect(splitScript('select 1; select 2').map((p) => p.text)).toEqual(['select 1', 'select 2']);
    expect(splitScript('select 1; -- bye').map((p) => p.text)).toEqual(['select 1']);
  });
});
