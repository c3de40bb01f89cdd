-- 0001 foundation: organisations, units, people, roles, accounts, sessions,
-- tokens and the audit trail.  SQLite dialect; pg/0001_foundation.sql is the
-- same schema for PostgreSQL (tests/unit/test_schema.c compares them).
--
-- Conventions (docs/ARCHITECTURE.md "Data"):
--   id         integer primary key
--   org_id     owning organisation; every domain query is scoped by it
--   version    optimistic concurrency, +1 on every update
--   archived   0/1; records are archived, never deleted
--   *_at       int64 Unix seconds (UTC) from the application's clock
--   *_sk       Swedish sort key (utf8_sortkey), compared bytewise
--   search     folded text of the searchable fields (utf8_fold), for LIKE
--   STRICT     every table: SQLite then refuses a value of the wrong type
--              (text in an INTEGER column) as PostgreSQL does, instead of
--              storing it and failing only on the other engine

CREATE TABLE organisation (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  name_sk     TEXT NOT NULL,
  kind        TEXT NOT NULL,
  org_number  TEXT,
  totp_roles  INTEGER NOT NULL DEFAULT 0,
  search      TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  created_by  INTEGER,
  updated_by  INTEGER
) STRICT;

CREATE TABLE unit (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisation(id),
  parent_id   INTEGER REFERENCES unit(id),
  name        TEXT NOT NULL,
  name_sk     TEXT NOT NULL,
  kind        TEXT NOT NULL,
  code        TEXT,
  code_sk     TEXT,
  description TEXT,
  search      TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  created_by  INTEGER,
  updated_by  INTEGER
) STRICT;
CREATE INDEX unit_org_name ON unit(org_id, archived, name_sk, id);
CREATE UNIQUE INDEX unit_org_code ON unit(org_id, code);

CREATE TABLE app_user (
  id              INTEGER PRIMARY KEY,
  email           TEXT NOT NULL UNIQUE,
  pw_hash         TEXT,
  lang            TEXT NOT NULL DEFAULT 'sv',
  totp_secret     TEXT,
  totp_enabled    INTEGER NOT NULL DEFAULT 0,
  totp_last_step  INTEGER NOT NULL DEFAULT 0,
  disabled        INTEGER NOT NULL DEFAULT 0,
  last_login_at   INTEGER,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE person (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  user_id             INTEGER REFERENCES app_user(id),
  name                TEXT NOT NULL,
  name_sk             TEXT NOT NULL,
  email               TEXT,
  phone               TEXT,
  title               TEXT,
  title_sk            TEXT,
  unit_id             INTEGER REFERENCES unit(id),
  employment          TEXT NOT NULL DEFAULT 'active',
  protected_identity  INTEGER NOT NULL DEFAULT 0,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX person_org_name ON person(org_id, archived, name_sk, id);
CREATE INDEX person_user ON person(user_id);
CREATE UNIQUE INDEX person_org_user ON person(org_id, user_id);

CREATE TABLE role_assignment (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisation(id),
  person_id   INTEGER NOT NULL REFERENCES person(id),
  unit_id     INTEGER REFERENCES unit(id),
  role        TEXT NOT NULL,
  note        TEXT,
  search      TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  created_by  INTEGER,
  updated_by  INTEGER
) STRICT;
CREATE INDEX role_assignment_org ON role_assignment(org_id, archived, role, id);
CREATE INDEX role_assignment_person ON role_assignment(person_id);

CREATE TABLE recovery_code (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES app_user(id),
  code_hash   TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  used_at     INTEGER
) STRICT;
CREATE INDEX recovery_code_user ON recovery_code(user_id);

CREATE TABLE session (
  id            INTEGER PRIMARY KEY,
  token_hash    TEXT NOT NULL UNIQUE,
  user_id       INTEGER NOT NULL REFERENCES app_user(id),
  csrf_token    TEXT NOT NULL,
  stage         TEXT NOT NULL DEFAULT 'full',
  ip            TEXT,
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  ended_at      INTEGER
) STRICT;
CREATE INDEX session_user_id ON session(user_id);

CREATE TABLE api_token (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES app_user(id),
  token_hash    TEXT NOT NULL UNIQUE,
  label         TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  last_used_at  INTEGER,
  revoked_at    INTEGER
) STRICT;
CREATE INDEX api_token_user ON api_token(user_id);

CREATE TABLE reset_token (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES app_user(id),
  token_hash  TEXT NOT NULL UNIQUE,
  created_by  INTEGER REFERENCES app_user(id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
) STRICT;

-- The audit trail is hash-chained: hash = H(prev_hash | seq | fields...).
-- audit_head holds the last seq and hash; updating it in the same
-- transaction serialises writers on both engines.
CREATE TABLE audit_event (
  id           INTEGER PRIMARY KEY,
  seq          INTEGER NOT NULL UNIQUE,
  at           INTEGER NOT NULL,
  org_id       INTEGER REFERENCES organisation(id),
  user_id      INTEGER REFERENCES app_user(id),
  actor        TEXT NOT NULL DEFAULT '',
  action       TEXT NOT NULL,
  entity       TEXT NOT NULL DEFAULT '',
  entity_id    INTEGER,
  summary      TEXT NOT NULL DEFAULT '',
  before_json  TEXT,
  after_json   TEXT,
  ip           TEXT,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
) STRICT;
CREATE INDEX audit_event_org_at ON audit_event(org_id, seq);

CREATE TABLE audit_head (
  id    INTEGER PRIMARY KEY,
  seq   INTEGER NOT NULL,
  hash  TEXT NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
