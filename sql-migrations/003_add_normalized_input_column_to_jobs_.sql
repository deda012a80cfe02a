-- Revision 003: add normalized_input column to jobs.
--
-- Adds jobs.normalized_input (jsonb, NOT NULL, default '{}'), which enables
-- de-duplication of jobs by their input; existing rows get '{}'.
-- Mirrors the app's Alembic revision 003 (add_normalized_input_column_to_jobs_).
-- The down drops the column again.

-- Up Migration

ALTER TABLE jobs
    ADD COLUMN normalized_input jsonb NOT NULL DEFAULT '{}'::jsonb;

-- Down Migration

ALTER TABLE jobs
    DROP COLUMN normalized_input;
