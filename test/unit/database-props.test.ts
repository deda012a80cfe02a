import { describe, expect, it } from 'vitest';
import { createDatabaseSql, splitSettingList, type DatabaseProps } from '../../src/core/db/database-props.js';
import { derivedDatabaseName } from '../../src/core/db/maintenance.js';

const q = { ident: (s: string) => `"${s.replace(/"/g, '""')}"`, literal: (s: string) => `'${s.replace(/'/g, "''")}'` };
const base: DatabaseProps = {
  name: 'app',
  owner: 'app_owner',
  encoding: 'UTF8',
  collate: 'en_US.UTF-8',
  ctype: 'en_US.UTF-8',
  localeProvider: 'c',
  providerLocale: null,
  connectionLimit: -1,
  tablespace: 'pg_default',
  acl: null,
  settings: [],
};

describe('CREATE DATABASE like another', () => {
  it('keeps encoding, locale and owner; nothing else when nothing else was changed', () => {
    expect(createDatabaseSql('app', base, q)).toEqual([
      `CREATE DATABASE "app" WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LC_COLLATE = 'en_US.UTF-8' LC_CTYPE = 'en_US.UTF-8' OWNER = "app_owner"`,
    ]);
  });

  it('ICU, tablespace, limit, privileges (PUBLIC revoked first) and settings, list settings split into literals', () => {
    const sql = createDatabaseSql(
      'a"b',
      {
        ...base,
        localeProvider: 'i',
        providerLocale: 'und-x-icu',
        tablespace: 'fast',
        connectionLimit: 5,
        acl: [
          { grantee: null, privilege: 'TEMPORARY', grantable: false },
          { grantee: 'app', privilege: 'CONNECT', grantable: true },
        ],
        settings: ['work_mem=7MB', 'search_path="my schema", public', "statement_timeout=it's"],
      },
      q,
      { owner: 'me' },
    );
    expect(sql).toEqual([
      `CREATE DATABASE "a""b" WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = icu LC_COLLATE = 'en_US.UTF-8' LC_CTYPE = 'en_US.UTF-8' ICU_LOCALE = 'und-x-icu' OWNER = "me" TABLESPACE = "fast" CONNECTION LIMIT = 5`,
      `REVOKE ALL ON DATABASE "a""b" FROM PUBLIC`,
      `GRANT TEMPORARY ON DATABASE "a""b" TO PUBLIC`,
      `GRANT CONNECT ON DATABASE "a""b" TO "app" WITH GRANT OPTION`,
      `ALTER DATABASE "a""b" SET "work_mem" = '7MB'`,
      `ALTER DATABASE "a""b" SET "search_path" = 'my schema', 'public'`,
      `ALTER DATABASE "a""b" SET "statement_timeout" = 'it''s'`,
    ]);
  });

  it('splits list settings as PostgreSQL writes them', () => {
    expect(splitSettingList('"$user", public')).toEqual(['$user', 'public']);
    expect(splitSettingList('a,"b ""c""" , d')).toEqual(['a', 'b "c"', 'd']);
  });

  it('derived names stay within 63 bytes and keep their suffix whole', () => {
    const long = 'ü'.repeat(40);
    const name = derivedDatabaseName(long, '_restore_20250101000000');
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(name.endsWith('_restore_20250101000000')).toBe(true);
  });
});
