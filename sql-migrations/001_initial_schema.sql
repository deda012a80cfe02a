-- Revision 001: initial schema.
--
-- Creates the connector generator's six tables (sessions, documentation_items,
-- jobs, session_data, job_progress, relevant_chunks) with their primary keys,
-- foreign keys (ON DELETE CASCADE), checks, unique constraints and indexes.
-- Mirrors the app's Alembic revision 001 (initial_schema): same tables, columns,
-- constraint and index names, so a database built by the app's Alembic and one
-- built by connector-db are the same. Primary and foreign keys are declared
-- without names, so they get PostgreSQL's default names (sessions_pkey,
-- jobs_session_id_fkey, ...), exactly as Alembic creates them.
-- The down drops the six tables in reverse order (their indexes, constraints
-- and the column comment go with them).

-- Up Migration

CREATE TABLE sessions (
    session_id  uuid        NOT NULL DEFAULT gen_random_uuid(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id)
);

CREATE INDEX idx_sessions_created_at ON sessions (created_at);
CREATE INDEX idx_sessions_updated_at ON sessions (updated_at);


CREATE TABLE documentation_items (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    session_id  uuid        NOT NULL,
    page_id     uuid        NULL,
    source      varchar(20) NOT NULL,
    url         text        NULL,
    summary     text        NULL,
    content     text        NOT NULL,
    metadata    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT check_doc_source CHECK (source IN ('scraper', 'upload')),
    FOREIGN KEY (session_id) REFERENCES sessions (session_id) ON DELETE CASCADE,
    PRIMARY KEY (id)
);

COMMENT ON COLUMN documentation_items.id IS 'Unique identifier for the documentation chunk';

CREATE INDEX idx_doc_items_created_at ON documentation_items (created_at);
CREATE INDEX idx_doc_items_metadata_gin ON documentation_items USING gin (metadata);
CREATE INDEX idx_doc_items_page_id ON documentation_items (page_id);
CREATE INDEX idx_doc_items_session_id ON documentation_items (session_id);
CREATE INDEX idx_doc_items_source ON documentation_items (source);
CREATE INDEX ix_documentation_items_created_at ON documentation_items (created_at);
CREATE INDEX ix_documentation_items_page_id ON documentation_items (page_id);
CREATE INDEX ix_documentation_items_session_id ON documentation_items (session_id);
CREATE INDEX ix_documentation_items_source ON documentation_items (source);


CREATE TABLE jobs (
    job_id       uuid         NOT NULL DEFAULT gen_random_uuid(),
    session_id   uuid         NOT NULL,
    job_type     varchar(100) NOT NULL,
    status       varchar(20)  NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    updated_at   timestamptz  NOT NULL DEFAULT now(),
    started_at   timestamptz  NULL,
    finished_at  timestamptz  NULL,
    input        jsonb        NOT NULL,
    result       jsonb        NULL,
    errors       text[]       NULL,
    CONSTRAINT check_job_status CHECK (status IN ('queued', 'running', 'finished', 'failed')),
    FOREIGN KEY (session_id) REFERENCES sessions (session_id) ON DELETE CASCADE,
    PRIMARY KEY (job_id)
);

CREATE INDEX idx_jobs_session_id ON jobs (session_id);
CREATE INDEX idx_jobs_status ON jobs (status);
CREATE INDEX idx_jobs_status_type_created ON jobs (status, job_type, created_at);
CREATE INDEX idx_jobs_type ON jobs (job_type);
CREATE INDEX ix_jobs_created_at ON jobs (created_at);
CREATE INDEX ix_jobs_job_type ON jobs (job_type);
CREATE INDEX ix_jobs_session_id ON jobs (session_id);
CREATE INDEX ix_jobs_status ON jobs (status);


CREATE TABLE session_data (
    id          uuid         NOT NULL DEFAULT gen_random_uuid(),
    session_id  uuid         NOT NULL,
    key         varchar(255) NOT NULL,
    value       jsonb        NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    FOREIGN KEY (session_id) REFERENCES sessions (session_id) ON DELETE CASCADE,
    PRIMARY KEY (id),
    CONSTRAINT uq_session_data_session_key UNIQUE (session_id, key)
);

CREATE INDEX idx_session_data_key ON session_data (key);
CREATE INDEX idx_session_data_session_id ON session_data (session_id);
CREATE INDEX ix_session_data_key ON session_data (key);
CREATE INDEX ix_session_data_session_id ON session_data (session_id);


CREATE TABLE job_progress (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    job_id                uuid        NOT NULL,
    stage                 varchar(50) NULL,
    message               text        NULL,
    total_processing      integer     NULL,
    processing_completed  integer     NULL,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (job_id) REFERENCES jobs (job_id) ON DELETE CASCADE,
    PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_job_progress_job_id ON job_progress (job_id);


CREATE TABLE relevant_chunks (
    id           uuid         NOT NULL DEFAULT gen_random_uuid(),
    session_id   uuid         NOT NULL,
    entity_type  varchar(255) NOT NULL,
    doc_id       uuid         NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    FOREIGN KEY (doc_id) REFERENCES documentation_items (id) ON DELETE CASCADE,
    FOREIGN KEY (session_id) REFERENCES sessions (session_id) ON DELETE CASCADE,
    PRIMARY KEY (id),
    CONSTRAINT uq_relevant_chunk_unique UNIQUE (session_id, entity_type, doc_id)
);

CREATE INDEX idx_relevant_chunks_doc_id ON relevant_chunks (doc_id);
CREATE INDEX idx_relevant_chunks_entity_type ON relevant_chunks (entity_type);
CREATE INDEX idx_relevant_chunks_session_id ON relevant_chunks (session_id);
CREATE INDEX idx_relevant_chunks_session_entity ON relevant_chunks (session_id, entity_type);
CREATE INDEX ix_relevant_chunks_doc_id ON relevant_chunks (doc_id);
CREATE INDEX ix_relevant_chunks_entity_type ON relevant_chunks (entity_type);
CREATE INDEX ix_relevant_chunks_session_id ON relevant_chunks (session_id);

-- Down Migration

DROP TABLE relevant_chunks;
DROP TABLE job_progress;
DROP TABLE session_data;
DROP TABLE jobs;
DROP TABLE documentation_items;
DROP TABLE sessions;
