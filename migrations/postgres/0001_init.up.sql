-- Initial schema. The SQLite twin (../sqlite/0001_init.up.sql) must keep the
-- same tables, columns, constraints and indexes; only the types differ.
-- Times are written by the application (UTC, microseconds) so both dialects
-- hold the same values.

CREATE TABLE candidates (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref        TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE assessments (
    id             TEXT PRIMARY KEY,
    candidate_id   BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    pack_id        TEXT NOT NULL,
    pack_version   TEXT NOT NULL,
    assessment_key TEXT NOT NULL,
    languages      JSONB NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'complete')),
    created_at     TIMESTAMPTZ NOT NULL,
    completed_at   TIMESTAMPTZ
);
CREATE INDEX assessments_candidate ON assessments (candidate_id);
CREATE INDEX assessments_created ON assessments (created_at);

CREATE TABLE responses (
    id              TEXT PRIMARY KEY,
    assessment_id   TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    item_id         TEXT NOT NULL,
    language        TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('written', 'spoken')),
    text            TEXT NOT NULL DEFAULT '',
    transcript      TEXT NOT NULL DEFAULT '',
    audio           BYTEA,
    audio_sha256    TEXT NOT NULL DEFAULT '',
    -- NULL when the client sent no Idempotency-Key: NULLs never collide.
    idempotency_key TEXT,
    request_hash    TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('pending', 'graded', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    graded_at       TIMESTAMPTZ,
    CONSTRAINT responses_idempotency UNIQUE (assessment_id, idempotency_key)
);
-- The job lease query: pending responses whose retry time has come.
CREATE INDEX responses_jobs ON responses (next_attempt_at) WHERE status = 'pending';
CREATE INDEX responses_assessment ON responses (assessment_id, created_at);
-- Planner reports filter by language and time.
CREATE INDEX responses_language_created ON responses (language, created_at);

CREATE TABLE scores (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    response_id    TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    level          TEXT NOT NULL DEFAULT '',
    comprehension  DOUBLE PRECISION,
    grammar        DOUBLE PRECISION,
    vocabulary     DOUBLE PRECISION,
    fluency        DOUBLE PRECISION,
    result         JSONB NOT NULL,
    rubric_version TEXT NOT NULL DEFAULT '',
    engine_version TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX scores_response ON scores (response_id, id);

CREATE TABLE flags (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    response_id TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    score_id    BIGINT NOT NULL REFERENCES scores (id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL DEFAULT '',
    evidence    JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX flags_response ON flags (response_id);
CREATE INDEX flags_score ON flags (score_id);
CREATE INDEX flags_code_created ON flags (code, created_at);

CREATE TABLE reviews (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    response_id        TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    score_id           BIGINT REFERENCES scores (id) ON DELETE SET NULL,
    -- Copied from the response so the queue filters without a join.
    language           TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('open', 'claimed', 'decided')),
    -- Lower is reviewed first: 0 borderline placements, 1 the rest.
    priority           INTEGER NOT NULL,
    reasons            JSONB NOT NULL,
    -- 1 for the first grader, 2 once a second grader is needed.
    stage              INTEGER NOT NULL DEFAULT 1 CHECK (stage IN (1, 2)),
    claimed_by         TEXT,
    lease_until        TIMESTAMPTZ,
    decision           JSONB,
    decided_by         TEXT,
    decided_at         TIMESTAMPTZ,
    second_decision    JSONB,
    second_decided_by  TEXT,
    second_decided_at  TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
-- At most one undecided review per response.
CREATE UNIQUE INDEX reviews_one_open ON reviews (response_id) WHERE state <> 'decided';
-- The grader queue: undecided reviews, borderline first, then oldest.
CREATE INDEX reviews_queue ON reviews (state, priority, created_at);
CREATE INDEX reviews_language_created ON reviews (language, created_at);
CREATE INDEX reviews_decided ON reviews (decided_at) WHERE state = 'decided';

CREATE TABLE review_audit (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_id  BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    before     JSONB,
    after      JSONB,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX review_audit_review ON review_audit (review_id, id);

CREATE TABLE tokens (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash          BYTEA NOT NULL UNIQUE CHECK (length(hash) = 32),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'grader', 'planner', 'candidate')),
    assessment_id TEXT REFERENCES assessments (id) ON DELETE CASCADE,
    name          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    -- A candidate token is bound to exactly one assessment; staff tokens to none.
    CHECK ((role = 'candidate') = (assessment_id IS NOT NULL))
);
CREATE INDEX tokens_assessment ON tokens (assessment_id);
