import { describe, expect, it } from 'vitest';
import { csvField, csvLine, jsonConverter, jsonRowWriter, typeNameOf, uniqueNames } from '../../src/core/query/value-format.js';
import { codePointToIndex } from '../../src/core/query/server-error.js';
import { markPosition, positionLines } from '../../src/core/query/server-error-text.js';
import { parseMeta, patternToRegex } from '../../src/core/query/catalog/meta.js';
import { roleAttributes } from '../../src/core/query/catalog/lists.js';
import { alignedTable } from '../../src/core/query/text-table.js';

describe('CSV as COPY writes it', () => {
  it.each([
    [null, ''],
    ['', '""'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    [' spaced ', ' spaced '],
    ['\\.', '\\.'],
  ])('%j → %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
  it('quotes a lone \\. only in a one-column row (it would end the data)', () => {
    expect(csvLine(['\\.'])).toBe('"\\."\n');
    expect(csvLine(['\\.', 'x'])).toBe('\\.,x\n');
  });
});

describe('JSON values by column type', () => {
  it('keeps meaning: numbers, booleans, json, arrays; exact text for numeric, big int8, timestamps and bytea', () => {
    expect(jsonConverter(23)('42')).toBe(42);
    expect(jsonConverter(701)('NaN')).toBe('NaN');
    expect(jsonConverter(20)('9007199254740993')).toBe('9007199254740993');
    expect(jsonConverter(20)('12')).toBe(12);
    expect(jsonConverter(1700)('0.10')).toBe('0.10');
    expect(jsonConverter(16)('t')).toBe(true);
    expect(jsonConverter(3802)('{"a": [1]}')).toEqual({ a: [1] });
    expect(jsonConverter(1007)('{1,NULL,3}')).toEqual([1, null, 3]);
    expect(jsonConverter(1009)('{"a,b",NULL,"NULL"}')).toEqual(['a,b', null, 'NULL']);
    expect(jsonConverter(17)('\\x00ff')).toBe('\\x00ff');
    expect(jsonConverter(1184)('2024-01-01 00:00:00+00')).toBe('2024-01-01 00:00:00+00');
    expect(jsonConverter(23)(null)).toBeNull();
  });
  it('duplicate column names keep every value', () => {
    expect(uniqueNames(['a', 'a', 'b', 'a'])).toEqual(['a', 'a_2', 'b', 'a_3']);
    const row = jsonRowWriter([{ name: 'x', typeId: 23, typeName: 'int4' }, { name: 'x', typeId: 25, typeName: 'text' }]);
    expect(row(['1', 'one'])).toBe('{"x":1,"x_2":"one"}');
  });
  it('names types for headers', () => {
    expect(typeNameOf(3802)).toBe('jsonb');
    expect(typeNameOf(1009)).toBe('text[]');
    expect(typeNameOf(99999)).toBe('oid 99999');
  });
});

describe('error positions', () => {
  it('counts code points like the server and marks display columns', () => {
    const sql = 'select \'😀\', nope';
    expect(codePointToIndex(sql, 12)).toBe(13);
    expect(markPosition('a\nselect 世界, x', 13)).toEqual({ line: 2, lineText: 'select 世界, x', column: 13 });
    expect(positionLines('select\n  nope', 9)).toEqual(['LINE 2:   nope', '          ^']);
  });
});

describe('backslash commands', () => {
  it('parses commands, plus, aliases and arguments; rejects unknown ones', () => {
    expect(parseMeta('\\dt+ job*')).toEqual({ ok: true, command: { name: 'dt', plus: true, arg: 'job*' } });
    expect(parseMeta('\\dg')).toEqual({ ok: true, command: { name: 'du', plus: false, arg: undefined } });
    expect(parseMeta('\\x on')).toEqual({ ok: true, command: { name: 'x', plus: false, arg: 'on' } });
    expect(parseMeta('\\zz')).toEqual({ ok: false, message: 'invalid command \\zz; try \\? for help' });
  });
  it('turns psql patterns into anchored regexes', () => {
    expect(patternToRegex('job*')).toEqual({ name: '^(job.*)$' });
    expect(patternToRegex('public.Jobs')).toEqual({ schema: '^(public)$', name: '^(jobs)$' });
    expect(patternToRegex('"MixedCase"')).toEqual({ name: '^(MixedCase)$' });
    expect(patternToRegex('a?c')).toEqual({ name: '^(a.c)$' });
    expect(patternToRegex('x$')).toEqual({ name: '^(x\\$)$' });
  });
  it('words role attributes as psql does', () => {
    expect(roleAttributes({ rolname: 'r', rolsuper: false, rolinherit: true, rolcreaterole: false, rolcreatedb: true, rolcanlogin: false, rolconnlimit: 1, rolvaliduntil: null, memberof: '', rolreplication: false, rolbypassrls: false })).toBe('Create DB, Cannot login\n1 connection');
  });
});

describe('aligned text tables', () => {
  it('centres headers, pads by display width and continues multi-line cells', () => {
    expect(alignedTable(['a', 'name'], [['1', '世界'], ['22', 'x\ny'], ['3', null]], { nullText: '' })).toEqual([
      ' a  | name',
      '----+------',
      ' 1  | 世界',
      ' 22 | x',
      '    | y',
      ' 3  |',
      '(3 rows)',
    ]);
  });
});
