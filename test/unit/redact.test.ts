/**
 * Password redaction, table-driven: SQL password literals in every form
 * PostgreSQL's lexer reads (DATABASE__ECHO, history and repeated statements
 * in errors all use it), passwords in free text (URLs, connection strings,
 * .env lines), a URL as it is typed, and the error position kept on the
 * right spot of the masked statement.
 */
import { describe, expect, it } from 'vitest';
import { formatEcho, redactSql } from '../../src/core/db/echo.js';
import { redactFailure } from '../../src/core/query/server-error.js';
import { describeServerError } from '../../src/core/query/server-error-text.js';
import { maskSecretsInText, maskTypedUrl } from '../../src/core/redact/text.js';
import { scrubSecrets } from '../../src/core/redact/spans.js';

describe('redactSql', () => {
  it.each([
    ["ALTER ROLE app PASSWORD 'hunter2'", "ALTER ROLE app PASSWORD '****'"],
    ["alter role app with login password 'it''s'", "alter role app with login password '****'"],
    ["CREATE ROLE app ENCRYPTED PASSWORD 'SCRAM-SHA-256$4096:abc'", "CREATE ROLE app ENCRYPTED PASSWORD '****'"],
    ['ALTER ROLE app PASSWORD $$hunter2$$', "ALTER ROLE app PASSWORD '****'"],
    ['ALTER ROLE app PASSWORD $$it\'s; -- not a comment$$ VALID UNTIL \'2030-01-01\'', "ALTER ROLE app PASSWORD '****' VALID UNTIL '2030-01-01'"],
    ['ALTER ROLE app PASSWORD $pw$hunter2$pw$', "ALTER ROLE app PASSWORD '****'"],
    ["ALTER ROLE app PASSWORD E'hun\\'ter2'", "ALTER ROLE app PASSWORD '****'"],
    ["ALTER ROLE app PASSWORD e'hunter2\\\\'", "ALTER ROLE app PASSWORD '****'"],
    ["ALTER ROLE app PASSWORD U&'hunt\\0065r2'", "ALTER ROLE app PASSWORD '****'"],
    ["ALTER ROLE app PASSWORD /* the new one */ 'hunter2'", "ALTER ROLE app PASSWORD /* the new one */ '****'"],
    ["ALTER ROLE app\n  PASSWORD\n  'hunter2'", "ALTER ROLE app\n  PASSWORD\n  '****'"],
    ["CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'u', password 'hunter2')", "CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'u', password '****')"],
    ["CREATE SUBSCRIPTION s CONNECTION 'host=db user=rep password=hunter2 dbname=x' PUBLICATION p", "CREATE SUBSCRIPTION s CONNECTION 'host=db user=rep password=**** dbname=x' PUBLICATION p"],
    ["SELECT dblink_connect('postgresql://rep:hunter2@db/x')", "SELECT dblink_connect('postgresql://rep:****@db/x')"],
    ["UPDATE users SET password = 'hunter2' WHERE id = 1", "UPDATE users SET password = '****' WHERE id = 1"],
    ['ALTER ROLE app PASSWORD NULL', 'ALTER ROLE app PASSWORD NULL'],
    ["SET password_encryption = 'scram-sha-256'", "SET password_encryption = 'scram-sha-256'"],
    ["SELECT 'PASSWORD' AS word, 'hunter2' AS other", "SELECT 'PASSWORD' AS word, 'hunter2' AS other"],
    ["ALTER ROLE app PASSWORD 'unterminated", "ALTER ROLE app PASSWORD '****'"],
    ["do $$ begin execute 'alter role nobody password ''hunter2'''; end $$", "do $$ begin execute 'alter role nobody password ''****'''; end $$"],
    ["do $body$ begin alter role nobody password $pw$hunter2$pw$; end $body$", "do $body$ begin alter role nobody password '****'; end $body$"],
    ["select E'alter role x password \\'hunter2\\''", "select E'alter role x password \\'****\\''"],
    ["select 1 -- CREATE ROLE r PASSWORD 'hunter2'", "select 1 -- CREATE ROLE r PASSWORD '****'"],
    ["select 1 /* ALTER ROLE r PASSWORD 'hunter2' */", "select 1 /* ALTER ROLE r PASSWORD '****' */"],
  ])('%j → %j', (sql, shown) => {
    expect(redactSql(sql)).toBe(shown);
  });

  it('DATABASE__ECHO shows dollar-quoted and E-string passwords masked', () => {
    expect(formatEcho('ALTER ROLE app PASSWORD $x$hunter2$x$', undefined)).toBe("[echo] ALTER ROLE app PASSWORD '****'");
    expect(formatEcho("ALTER ROLE app PASSWORD E'hunter2'", undefined)).not.toContain('hunter2');
  });
});

describe('an error that repeats the statement', () => {
  const sql = "alter role app password 'TopSecret42' bogus";
  const at = sql.indexOf('bogus');

  it('masks the literal and keeps the caret under the same word', () => {
    const lines = describeServerError({ message: 'syntax error at or near "bogus"', offset: at }, sql);
    expect(lines.join('\n')).not.toContain('TopSecret42');
    expect(lines).toEqual(['ERROR:  syntax error at or near "bogus"', "LINE 1: alter role app password '****' bogus", `${' '.repeat('LINE 1: '.length + "alter role app password '****' ".length)}^`]);
  });

  it('moves a position inside the secret to the start of its mask, and scrubs the secret from the message', () => {
    const { statement, error } = redactFailure({ message: 'invalid value "TopSecret42"', detail: 'TopSecret42 is not allowed', offset: sql.indexOf('Secret') }, sql);
    expect(statement).toBe("alter role app password '****' bogus");
    expect(error.offset).toBe(statement.indexOf("'****'"));
    expect(error.message).toBe('invalid value "****"');
    expect(error.detail).toBe('**** is not allowed');
  });

  it('leaves a statement without secrets as it was', () => {
    const error = { message: 'x', offset: 3 };
    expect(redactFailure(error, 'select nope')).toEqual({ statement: 'select nope', error });
  });

  it('scrubs whole occurrences only, so a short password does not eat words', () => {
    expect(scrubSecrets('syntax error at or near "a"', ['a'])).toBe('syntax error at or near "****"');
  });
});

describe('passwords in free text', () => {
  it.each([
    ['DATABASE__URL=postgresql://rv_user:OLDSECRET@127.0.0.1:5432/rv', 'DATABASE__URL=postgresql://rv_user:****@127.0.0.1:5432/rv'],
    ["export DATABASE__URL='postgresql+asyncpg://u:p%40ss@h/db'  # old", "export DATABASE__URL='postgresql+asyncpg://u:****@h/db'  # old"],
    ['DATABASE__URL=postgresql://u:a/b@c@h:1/db', 'DATABASE__URL=postgresql://u:****@h:1/db'],
    ['DATABASE__URL=postgresql://h/db?sslmode=require&password=OLDSECRET&x=1', 'DATABASE__URL=postgresql://h/db?sslmode=require&password=****&x=1'],
    ['DATABASE__URL="postgresql:///db?host=/run/pg&password=OLDSECRET"', 'DATABASE__URL="postgresql:///db?host=/run/pg&password=****"'],
    ["host=db password='with space' dbname=x", "host=db password='****' dbname=x"],
    ['PGPASSWORD=OLDSECRET psql', 'PGPASSWORD=**** psql'],
    ['DATABASE__PASSWORD = OLDSECRET', 'DATABASE__PASSWORD = ****'],
    ['postgresql://u@h:5432/db', 'postgresql://u@h:5432/db'],
    ['postgresql://[::1]:5432/db', 'postgresql://[::1]:5432/db'],
  ])('%j → %j', (text, shown) => {
    expect(maskSecretsInText(text)).toBe(shown);
  });
});

describe('a URL as it is typed', () => {
  it('never shows any prefix of the password, from its first character to the end', () => {
    const url = 'postgresql://postgres:AdminSecret99@127.0.0.1:5432/postgres?sslmode=disable';
    const password = 'AdminSecret99';
    for (let n = 1; n <= url.length; n++) {
      const shown = maskTypedUrl(url.slice(0, n));
      const typedOfPassword = Math.max(0, Math.min(password.length, n - 'postgresql://postgres:'.length));
      if (typedOfPassword >= 1) expect(shown).not.toContain(password.slice(0, typedOfPassword));
    }
    expect(maskTypedUrl(url)).toBe('postgresql://postgres:****@127.0.0.1:5432/postgres?sslmode=disable');
  });

  it.each([
    ['postgres', 'postgres'],
    ['postgresql://postgres', 'postgresql://postgres'],
    ['postgresql://postgres:', 'postgresql://postgres:'],
    ['postgresql://postgres:A', 'postgresql://postgres:****'],
    ['postgresql://localhost:5432', 'postgresql://localhost:****'],
    ['postgresql://localhost:5432/postgres', 'postgresql://localhost:5432/postgres'],
    ['postgresql://localhost/postgres?password=Adm', 'postgresql://localhost/postgres?password=****'],
    ['postgresql://u:p@[::1]:5432/db', 'postgresql://u:****@[::1]:5432/db'],
    ['postgresql://[::1]:5432/db', 'postgresql://[::1]:5432/db'],
  ])('%j is shown as %j', (typed, shown) => {
    expect(maskTypedUrl(typed)).toBe(shown);
  });
});
