/** The statement splitter: semicolons inside strings, identifiers, comments, dollar quotes and BEGIN ATOMIC bodies do not split. */
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/core/migrations/statements.js';

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe('splitStatements', () => {
  it('splits on semicolons and skips comment-only parts', () => {
    expect(texts('-- Up Migration\nCREATE TABLE a (id int);\n\n-- a note\nCREATE INDEX i ON a (id);\n-- trailing\n')).toEqual(['CREATE TABLE a (id int);', 'CREATE INDEX i ON a (id);']);
  });

  it('keeps a last statement without a semicolon', () => {
    expect(texts('select 1;\nselect 2')).toEqual(['select 1;', 'select 2']);
  });

  it('does not split inside quotes, identifiers or comments', () => {
    const sql = `insert into t values ('a;b', 'it''s;');\nselect "we;ird" from t /* ; /* nested; */ still; */ where x = 1;\nselect E'\\';' as e;\nselect 'C:\\' as path;`;
    expect(texts(sql)).toEqual([
      "insert into t values ('a;b', 'it''s;');",
      'select "we;ird" from t /* ; /* nested; */ still; */ where x = 1;',
      "select E'\\';' as e;",
      "select 'C:\\' as path;",
    ]);
  });

  it('does not split inside dollar quotes, but $1 is not a quote', () => {
    const sql = `CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;\nselect $$a;b$$;\nprepare p as select $1; select 2;`;
    expect(texts(sql)).toEqual(['CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;', 'select $$a;b$$;', 'prepare p as select $1;', 'select 2;']);
  });

  it('keeps an SQL-standard function body (BEGIN ATOMIC ... END) whole, CASE included', () => {
    const sql = `CREATE OR REPLACE FUNCTION g(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT 2; END;\nselect 3;`;
    expect(texts(sql)).toEqual(['CREATE OR REPLACE FUNCTION g(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT 2; END;', 'select 3;']);
  });

  it('a BEGIN statement outside a routine still ends at its semicolon', () => {
    expect(texts('BEGIN; select 1; END;')).toEqual(['BEGIN;', 'select 1;', 'END;']);
  });

  it('gives each statement its offset, shifted by base', () => {
    const sql = '-- c\nselect 1;\n  select 2;';
    const got = splitStatements(sql, 100);
    expect(got.map((s) => s.start)).toEqual([105, 117]);
    expect(sql.slice(got[1]!.start - 100, got[1]!.start - 100 + got[1]!.text.length)).toBe('select 2;');
  });
});
