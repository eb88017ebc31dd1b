-- Initial schema. The PostgreSQL twin (../postgres/0001_init.up.sql) must keep
-- the same tables, columns, constraints and indexes; only the types differ.
-- Not STRICT: modernc.org/sqlite turns values of columns declared TIMESTAMP
-- into time.Time, and STRICT tables do not allow that type name.
-- JSON columns are TEXT checked with json_valid.
-- Times are written by the application (UTC, microseconds) so both dialects
-- hold the same values.

CREATE TABLE candidates (
    id         INTEGER PRIMARY KEY,
    ref        TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE assessments (
    id             TEXT PRIMARY KEY,
    candidate_id   INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    pack_id        TEXT NOT NULL,
    pack_version   TEXT NOT NULL,
    assessment_key TEXT NOT NULL,
    languages      TEXT NOT NULL CHECK (json_valid(languages)),
    status         TEXT NOT NULL CHECK (status IN ('open', 'complete')),
    created_at     TIMESTAMP NOT NULL,
    completed_at   TIMESTAMP
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
    audio           BLOB,
    audio_sha256    TEXT NOT NULL DEFAULT '',
    -- NULL when the client sent no Idempotency-Key: NULLs never collide.
    idempotency_key TEXT,
    request_hash    TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('pending', 'graded', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_owner     TEXT,
    lease_until     TIMESTAMP,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    graded_at       TIMESTAMP,
    CONSTRAINT responses_idempotency UNIQUE (assessment_id, idempotency_key)
);
-- The job lease query: pending responses whose retry time has come.
CREATE INDEX responses_jobs ON responses (next_attempt_at) WHERE status = 'pending';
CREATE INDEX responses_assessment ON responses (assessment_id, created_at);
-- Planner reports filter by language and time.
CREATE INDEX responses_language_created ON responses (language, created_at);

CREATE TABLE scores (
    id             INTEGER PRIMARY KEY,
    response_id    TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    level          TEXT NOT NULL DEFAULT '',
    comprehension  REAL,
    grammar        REAL,
    vocabulary     REAL,
    fluency        REAL,
    result         TEXT NOT NULL CHECK (json_valid(result)),
    rubric_version TEXT NOT NULL DEFAULT '',
    engine_version TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX scores_response ON scores (response_id, id);

CREATE TABLE flags (
    id          INTEGER PRIMARY KEY,
    response_id TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    score_id    INTEGER NOT NULL REFERENCES scores (id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL DEFAULT '',
    evidence    TEXT NOT NULL CHECK (json_valid(evidence)),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX flags_response ON flags (response_id);
CREATE INDEX flags_score ON flags (score_id);
CREATE INDEX flags_code_created ON flags (code, created_at);

CREATE TABLE reviews (
    id                 INTEGER PRIMARY KEY,
    response_id        TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    score_id           INTEGER REFERENCES scores (id) ON DELETE SET NULL,
    -- Copied from the response so the queue filters without a join.
    language           TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('open', 'claimed', 'decided')),
    -- Lower is reviewed first: 0 borderline placements, 1 the rest.
    priority           INTEGER NOT NULL,
    reasons            TEXT NOT NULL CHECK (json_valid(reasons)),
    -- 1 for the first grader, 2 once a second grader is needed.
    stage              INTEGER NOT NULL DEFAULT 1 CHECK (stage IN (1, 2)),
    claimed_by         TEXT,
    lease_until        TIMESTAMP,
    decision           TEXT CHECK (decision IS NULL OR json_valid(decision)),
    decided_by         TEXT,
    decided_at         TIMESTAMP,
    second_decision    TEXT CHECK (second_decision IS NULL OR json_valid(second_decision)),
    second_decided_by  TEXT,
    second_decided_at  TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
-- At most one undecided review per response.
CREATE UNIQUE INDEX reviews_one_open ON reviews (response_id) WHERE state <> 'decided';
-- The grader queue: undecided reviews, borderline first, then oldest.
CREATE INDEX reviews_queue ON reviews (state, priority, created_at);
CREATE INDEX reviews_language_created ON reviews (language, created_at);
CREATE INDEX reviews_decided ON reviews (decided_at) WHERE state = 'decided';

CREATE TABLE review_audit (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    before     TEXT CHECK (before IS NULL OR json_valid(before)),
    after      TEXT CHECK (after IS NULL OR json_valid(after)),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX review_audit_review ON review_audit (review_id, id);

CREATE TABLE tokens (
    id            INTEGER PRIMARY KEY,
    hash          BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'grader', 'planner', 'candidate')),
    assessment_id TEXT REFERENCES assessments (id) ON DELETE CASCADE,
    name          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP,
    -- A candidate token is bound to exactly one assessment; staff tokens to none.
    CHECK ((role = 'candidate') = (assessment_id IS NOT NULL))
);
CREATE INDEX tokens_assessment ON tokens (assessment_id);
