import pg from 'pg';
const P0 = `select to_regclass('"public"."pgmigrations"') is not null as has_record, to_regclass('"public"."connector_db_migrations"') is not null as has_side, to_regclass('alembic_version')::text as alembic,
 (select coalesce(json_agg(c.relname::text order by c.relname), '[]'::json) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm') and c.relname <> all (array['pgmigrations'])) as tables,
 (select coalesce(json_agg(json_build_object('pid', l.pid, 'granted', l.granted, 'applicationName', a.application_name, 'user', a.usename, 'clientAddr', host(a.client_addr), 'since', a.backend_start, 'query', left(a.query, 200))), '[]'::json) from pg_locks l left join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and l.database = (select oid from pg_database where datname = current_database()) and l.classid = 1 and l.objid = 2 and l.objsubid = 1) as lock_rows, pg_backend_pid() as pid`;
const P1 = `select to_regclass('"public"."pgmigrations"') is not null as has_record, to_regclass('"public"."connector_db_migrations"') is not null as has_side, to_regclass('alembic_version')::text as alembic,
 array(select c.relname::text from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p', 'v', 'm')) as tables,
 array(select l.pid::text || ':' || l.granted::text from pg_locks l where l.locktype = 'advisory' and l.database = (select oid from pg_database where datname = current_database()) and l.classid = 1 and l.objid = 2 and l.objsubid = 1) as lock_rows, pg_backend_pid() as pid`;
const M0 = `select coalesce(json_agg(x order by x.run_on, x.id), '[]'::json) as rows from (select id, name, to_char((run_on at time zone current_setting('TimeZone')) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as run_on from "public"."pgmigrations") x; select coalesce(json_agg(x), '[]'::json) as rows from (select name, revision, sha256, to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as applied_at, duration_ms, source, state, statements_done, statements_total, error from public.connector_db_migrations) x; select coalesce(json_agg(x), '[]'::json) as rows from (select version_num::text as version_num from alembic_version) x`;
const M1 = `select name, run_on at time zone current_setting('TimeZone') as run_on from "public"."pgmigrations" order by run_on, id; select name, revision, sha256, applied_at, duration_ms, source, state, statements_done, statements_total, error from public.connector_db_migrations; select version_num::text as version_num from alembic_version`;
const M2 = `select name, run_on::text from "public"."pgmigrations" order by id; select name, revision, sha256, applied_at::text, duration_ms, source, state, statements_done, statements_total, error from public.connector_db_migrations; select version_num::text as version_num from alembic_version`;
const M3 = `select id, name, run_on from "public"."pgmigrations"; select * from public.connector_db_migrations; select version_num from alembic_version`;
const combos = { P0M0: [P0, M0], P0M1: [P0, M1], P1M1: [P1, M1], P1M2: [P1, M2], P1M3: [P1, M3], s1: ['select 1', 'select 1'] };
const res = {};
for (let i = 0; i < 7; i++) for (const [k, [p, m]] of Object.entries(combos)) {
  const c = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/benchprof' });
  const t0 = performance.now(); await c.connect(); const t1 = performance.now();
  await c.query(p); const t2 = performance.now(); await c.query(m); const t3 = performance.now();
  (res[k] ??= []).push([t1 - t0, t2 - t1, t3 - t2]);
  await c.end();
}
for (const [k, v] of Object.entries(res)) { const med = (j) => v.map(x => x[j]).sort((a, b) => a - b)[3].toFixed(1); console.log(k.padEnd(6), 'connect', med(0), 'presence', med(1), 'reads', med(2)); }
