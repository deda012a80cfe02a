import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { SqlDumpLines } from '../../src/core/backups/sql-dump-lines.js';
import { lineFilter, lineSink } from '../../src/core/backups/sql-line-stream.js';

function classify(text: string) {
  const s = new SqlDumpLines();
  return text.split('\n').map((line) => ({ line, ...s.feed(line) })).filter((x) => x.kind !== 'other');
}

describe('reading a plain dump for owners and grants', () => {
  it('finds OWNER TO, GRANT, REVOKE, default privileges and SET SESSION AUTHORIZATION with their roles', () => {
    const found = classify(
      [
        'ALTER TABLE public.jobs OWNER TO connector_user;',
        'ALTER SCHEMA "My Schema" OWNER TO "We""ird Role";',
        'GRANT SELECT,INSERT ON TABLE public.jobs TO reader;',
        'REVOKE ALL ON SCHEMA public FROM PUBLIC;',
        'GRANT ALL ON SCHEMA public TO PUBLIC;',
        'ALTER DEFAULT PRIVILEGES FOR ROLE admin IN SCHEMA public GRANT SELECT ON TABLES TO reader, "Other";',
        "SET SESSION AUTHORIZATION 'o''brien';",
        'GRANT app_role TO alice GRANTED BY bob;',
      ].join('\n'),
    );
    expect(found.map((f) => [f.kind, f.roles])).toEqual([
      ['owner', ['connector_user']],
      ['owner', ['We"ird Role']],
      ['acl', ['reader']],
      ['acl', []],
      ['acl', []],
      ['acl', ['admin', 'reader', 'Other']],
      ['owner', ["o'brien"]],
      ['acl', ['alice', 'bob']],
    ]);
  });

  it('ignores look-alikes inside COPY data, function bodies, strings and continued statements', () => {
    const dump = [
      'COPY public.notes (id, body) FROM stdin;',
      '1\tALTER TABLE x OWNER TO evil;',
      'GRANT ALL ON TABLE x TO evil;',
      '\\.',
      'CREATE FUNCTION public.f() RETURNS void',
      '    LANGUAGE plpgsql',
      '    AS $_$',
      'begin',
      'GRANT SELECT ON t TO evil;',
      'end $_$;',
      "COMMENT ON TABLE t IS 'multi",
      'GRANT ALL ON x TO evil;',
      "line';",
      'SELECT 1',
      'GRANT ALL ON x TO evil;',
      'ALTER TABLE public.t OWNER TO real_owner;',
    ].join('\n');
    expect(classify(dump).map((f) => f.roles)).toEqual([['real_owner']]);
  });
});

describe('line streams', () => {
  it('--no-owner drops exactly the ownership lines, chunk boundaries anywhere, multibyte characters intact', async () => {
    const text = 'CREATE TABLE t (a text);\nALTER TABLE public.t OWNER TO ghost;\nINSERT INTO t VALUES (\'日本語 🚀\');\n-- PostgreSQL database dump complete\n';
    const bytes = Buffer.from(text);
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.subarray(i, i + 3));
    const scanner = new SqlDumpLines();
    let out = '';
    await pipeline(Readable.from(chunks), lineFilter((line) => scanner.feed(line).kind !== 'owner'), lineSink((line) => (out += line + '\n')));
    expect(out).toBe(text.replace('ALTER TABLE public.t OWNER TO ghost;\n', ''));
  });

  it('a last line without a newline still arrives', async () => {
    const lines: string[] = [];
    await pipeline(Readable.from([Buffer.from('a\nb')]), lineSink((l) => lines.push(l)));
    expect(lines).toEqual(['a', 'b']);
  });
});
