/** The shared SQL lexer: the cases below were each checked against psql 15 (how `psql -e -f` splits them). */
import { describe, expect, it } from 'vitest';
import { nextToken, type TokenKind } from '../../src/core/sql/scan.js';

/** Every token but white space, as [kind, text]. */
function tokens(sql: string): [TokenKind, string][] {
  const out: [TokenKind, string][] = [];
  for (let i = 0; i < sql.length; ) {
    const t = nextToken(sql, i);
    expect(t.end).toBeGreaterThan(i);
    if (t.kind !== 'space') out.push([t.kind, sql.slice(t.start, t.end)]);
    i = t.end;
  }
  return out;
}

describe('nextToken', () => {
  it('reads quotes, dollar quotes and nested comments whole', () => {
    expect(tokens(`'a;''b' "x;""y" $$;$$ $t$ $$ ; $t$ -- c;\n/* a /* b; */ c */;`)).toEqual([
      ['quoted', "'a;''b'"],
      ['quoted', '"x;""y"'],
      ['quoted', '$$;$$'],
      ['quoted', '$t$ $$ ; $t$'],
      ['comment', '-- c;'],
      ['comment', '/* a /* b; */ c */'],
      ['other', ';'],
    ]);
  });

  it("E'' takes backslash escapes; a word ending in e before a quote is a word and a plain string", () => {
    expect(tokens(`E'\\';' ab$e'\\';`)).toEqual([
      ['quoted', "E'\\';'"],
      ['word', 'ab$e'],
      ['quoted', "'\\'"],
      ['other', ';'],
    ]);
    expect(tokens(`$$x$$e'\\';'`)).toEqual([
      ['quoted', '$$x$$'],
      ['quoted', "e'\\';'"],
    ]);
  });

  it('a $ inside a word is part of it; a number or parameter before $$ is not', () => {
    expect(tokens('a$$b$$;')).toEqual([['word', 'a$$b$$'], ['other', ';']]);
    expect(tokens('1$$x;$$;')).toEqual([['other', '1'], ['quoted', '$$x;$$'], ['other', ';']]);
    expect(tokens('$1$$x;$$;')).toEqual([['other', '$1'], ['quoted', '$$x;$$'], ['other', ';']]);
    expect(tokens('$$x$$$a$;$a$;')).toEqual([['quoted', '$$x$$'], ['quoted', '$a$;$a$'], ['other', ';']]);
  });

  it('a word glued to a number belongs to it, so it opens no quote', () => {
    expect(tokens(`1e'\\';'`)).toEqual([['other', '1e'], ['quoted', "'\\'"], ['other', ';'], ['quoted', "'"]]);
    expect(tokens('1x$a$;')).toEqual([['other', '1x$a$'], ['other', ';']]);
  });

  it('an unclosed quote or comment runs to the end of the text', () => {
    expect(tokens("select 'a;")).toEqual([['word', 'select'], ['quoted', "'a;"]]);
    expect(tokens('$x$ ;')).toEqual([['quoted', '$x$ ;']]);
    expect(tokens("E'\\")).toEqual([['quoted', "E'\\"]]);
    expect(tokens('/* /* */ ;')).toEqual([['comment', '/* /* */ ;']]);
  });
});
