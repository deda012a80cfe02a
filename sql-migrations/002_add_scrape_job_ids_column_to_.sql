-- Revision 002: add scrape_job_ids column to documentation_items.
--
-- Adds documentation_items.scrape_job_ids (jsonb, nullable, default '[]'),
-- the ids of the scrape jobs that produced a documentation item.
-- Mirrors the app's Alembic revision 002 (add_scrape_job_ids_column_to_).
-- The down drops the column again.

-- Up Migration

ALTER TABLE documentation_items
    ADD COLUMN scrape_job_ids jsonb NULL DEFAULT '[]'::jsonb;

-- Down Migration

ALTER TABLE documentation_items
    DROP COLUMN scrape_job_ids;
