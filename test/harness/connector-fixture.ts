/**
 * A database shaped like the connector app's: the schema at head (through
 * the real migrations engine) and a few thousand rows that exercise what a
 * dump must carry exactly — unicode, NULLs, empty strings, jsonb, arrays,
 * quotes, backslashes, tabs and newlines inside values.
 */
import pg from 'pg';
import { upgradeToHead } from '../../src/core/migrations/index.js';
import { shippedMigrationsDir } from '../../src/core/system/package-root.js';
import type { TestDatabase } from './pg.js';

export async function fillConnectorDatabase(db: TestDatabase, rows = 2000): Promise<void> {
  const t = db.target;
  const client = new pg.Client({ host: t.host, port: t.port, user: t.user, password: t.password, database: t.database });
  await client.connect();
  try {
    await upgradeToHead(client, { dir: shippedMigrationsDir() });
    await client.query(
      `insert into sessions (session_id, created_at, updated_at)
         select md5('s' || g)::uuid, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', timestamptz '2024-06-01 12:00:00+02' + g * interval '1 second'
           from generate_series(1, $1::int) g`,
      [rows],
    );
    await client.query(
      `insert into documentation_items (id, session_id, page_id, source, url, summary, content, metadata, scrape_job_ids)
         select md5('d' || g)::uuid, md5('s' || (g % $1::int + 1))::uuid,
                case when g % 3 = 0 then null else md5('p' || g)::uuid end,
                case when g % 2 = 0 then 'scraper' else 'upload' end,
                case when g % 5 = 0 then null else 'https://example.com/docs/' || g || '?q=ü&x="y"' end,
                case when g % 7 = 0 then '' when g % 7 = 1 then null else 'Résumé ' || g || E' — naïve café, 日本語, emoji 🚀\\ttab' end,
                'line one' || E'\\n' || 'line two with ''quotes'' and \\backslash\\ and ' || repeat('x', g % 50),
                jsonb_build_object('n', g, 'tags', jsonb_build_array('a', 'ß', null), 'nested', jsonb_build_object('ok', g % 2 = 0, 'pi', 3.14159)),
                case when g % 4 = 0 then null else jsonb_build_array(g, g + 1) end
           from generate_series(1, $1::int) g`,
      [rows],
    );
    await client.query(
      `insert into jobs (job_id, session_id, job_type, status, started_at, finished_at, input, result, errors, normalized_input)
         select md5('j' || g)::uuid, md5('s' || (g % $1::int + 1))::uuid, 'scrape_' || (g % 4),
                (array['queued','running','finished','failed'])[g % 4 + 1],
                case when g % 2 = 0 then timestamptz '2024-03-01 00:00:00+00' + g * interval '1 s' end, null,
                jsonb_build_object('url', 'https://ex.com/' || g, 'depth', g % 3),
                case when g % 3 = 0 then null else jsonb_build_object('pages', g, 'text', 'zażółć gęślą jaźń') end,
                case when g % 5 = 0 then null when g % 5 = 1 then '{}'::text[] else array['error ' || g, 'with "quote"', E'multi\\nline', null] end,
                jsonb_build_object('k', g)
           from generate_series(1, $1::int) g`,
      [rows],
    );
    await client.query(
      `insert into session_data (id, session_id, key, value)
         select md5('sd' || g)::uuid, md5('s' || g)::uuid, 'key_' || g, to_jsonb(array[g, null]) from generate_series(1, $1::int) g`,
      [rows],
    );
    await client.query(
      `insert into job_progress (id, job_id, stage, message, total_processing, processing_completed)
         select md5('jp' || g)::uuid, md5('j' || g)::uuid, case when g % 2 = 0 then 'stage ' || g end, 'Ünïcödé message ' || g, g, case when g % 3 = 0 then null else g / 2 end
           from generate_series(1, $1::int) g`,
      [rows],
    );
    await client.query(
      `insert into relevant_chunks (id, session_id, doc_id, entity_type)
         select md5('rc' || g)::uuid, md5('s' || (g % $1::int + 1))::uuid, md5('d' || g)::uuid, 'entity_' || (g % 10) from generate_series(1, $1::int) g`,
      [rows],
    );
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

export interface TableFingerprint {
  rows: number;
  md5: string;
}

/** Every table in public: its row count and an md5 of its rows in order (what "identical" means for a restore). */
export async function fingerprint(db: Pick<TestDatabase, 'query'>): Promise<Record<string, TableFingerprint>> {
  const { rows: tables } = await db.query<{ name: string }>(`select quote_ident(relname) as name from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1`);
  const out: Record<string, TableFingerprint> = {};
  for (const { name } of tables) {
    const { rows } = await db.query<{ n: number; md5: string | null }>(`select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from ${name} t`);
    out[name] = { rows: rows[0]?.n ?? -1, md5: rows[0]?.md5 ?? '' };
  }
  return out;
}
