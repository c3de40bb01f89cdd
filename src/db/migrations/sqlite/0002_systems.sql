-- 0002 systems: the system register (seed 004 §3 "systemförteckning"),
-- information sets and their classification (seed 001 §5, KLASSA), and the
-- links between them.  Same conventions as 0001.

-- The classification scale of an organisation (KLASSA's by default).  A
-- classification stores a copy of the scale it used, so a changed model
-- never silently changes old results.
CREATE TABLE classification_scale (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisation(id),
  name        TEXT NOT NULL,
  name_sk     TEXT NOT NULL,
  levels_json TEXT NOT NULL,
  is_current  INTEGER NOT NULL DEFAULT 0,
  search      TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  created_by  INTEGER,
  updated_by  INTEGER
) STRICT;
CREATE INDEX classification_scale_org ON classification_scale(org_id, archived, name_sk, id);

CREATE TABLE it_system (
  id                   INTEGER PRIMARY KEY,
  org_id               INTEGER NOT NULL REFERENCES organisation(id),
  name                 TEXT NOT NULL,
  name_sk              TEXT NOT NULL,
  description          TEXT,
  purpose              TEXT,
  unit_id              INTEGER REFERENCES unit(id),
  owner_id             INTEGER REFERENCES person(id),
  supplier             TEXT,
  supplier_sk          TEXT,
  agreement            TEXT,
  agreement_security   INTEGER NOT NULL DEFAULT 0,
  agreement_expires    TEXT,
  hosting              TEXT NOT NULL DEFAULT 'own',
  hosting_country      TEXT,
  lifecycle            TEXT NOT NULL DEFAULT 'operation',
  critical_society     INTEGER NOT NULL DEFAULT 0,
  personal_data        TEXT NOT NULL DEFAULT 'none',
  gdpr_ref             TEXT,
  users_count          INTEGER,
  last_security_update TEXT,
  key_person_risk      INTEGER NOT NULL DEFAULT 0,
  raise_k              INTEGER,
  raise_r              INTEGER,
  raise_t              INTEGER,
  raise_s              INTEGER,
  raise_reason         TEXT,
  level_k              INTEGER NOT NULL DEFAULT 0,
  level_r              INTEGER NOT NULL DEFAULT 0,
  level_t              INTEGER NOT NULL DEFAULT 0,
  level_s              INTEGER NOT NULL DEFAULT 0,
  business_critical    INTEGER NOT NULL DEFAULT 0,
  needs_review         INTEGER NOT NULL DEFAULT 0,
  search               TEXT NOT NULL DEFAULT '',
  version              INTEGER NOT NULL DEFAULT 1,
  archived             INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  created_by           INTEGER,
  updated_by           INTEGER
) STRICT;
CREATE INDEX it_system_org_name ON it_system(org_id, archived, name_sk, id);
CREATE INDEX it_system_owner ON it_system(owner_id);
CREATE INDEX it_system_unit ON it_system(unit_id);

CREATE TABLE information_set (
  id                    INTEGER PRIMARY KEY,
  org_id                INTEGER NOT NULL REFERENCES organisation(id),
  name                  TEXT NOT NULL,
  name_sk               TEXT NOT NULL,
  info_type             TEXT,
  description           TEXT,
  owner_id              INTEGER REFERENCES person(id),
  unit_id               INTEGER REFERENCES unit(id),
  sources               TEXT,
  storage               TEXT,
  outputs               TEXT,
  form_digital          INTEGER NOT NULL DEFAULT 1,
  form_paper            INTEGER NOT NULL DEFAULT 0,
  form_spoken           INTEGER NOT NULL DEFAULT 0,
  personal_data         INTEGER NOT NULL DEFAULT 0,
  sensitive_data        INTEGER NOT NULL DEFAULT 0,
  secrecy               INTEGER NOT NULL DEFAULT 0,
  secrecy_ref           TEXT,
  protected_identities  INTEGER NOT NULL DEFAULT 0,
  patient_data          INTEGER NOT NULL DEFAULT 0,
  security_protection   INTEGER NOT NULL DEFAULT 0,
  level_k               INTEGER,
  level_r               INTEGER,
  level_t               INTEGER,
  level_s               INTEGER,
  classified_on         TEXT,
  review_on             TEXT,
  search                TEXT NOT NULL DEFAULT '',
  version               INTEGER NOT NULL DEFAULT 1,
  archived              INTEGER NOT NULL DEFAULT 0,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  created_by            INTEGER,
  updated_by            INTEGER
) STRICT;
CREATE INDEX information_set_org_name ON information_set(org_id, archived, name_sk, id);
CREATE INDEX information_set_review ON information_set(org_id, archived, review_on);

-- A decision: the levels of an information set on one date, with the
-- motivation per aspect, who classified with whom, and the scale used.
CREATE TABLE classification (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organisation(id),
  infoset_id    INTEGER NOT NULL REFERENCES information_set(id),
  level_k       INTEGER NOT NULL,
  level_r       INTEGER NOT NULL,
  level_t       INTEGER NOT NULL,
  level_s       INTEGER NOT NULL,
  reason_k      TEXT,
  reason_r      TEXT,
  reason_t      TEXT,
  reason_s      TEXT,
  participants  TEXT,
  decision      TEXT,
  decided_on    TEXT NOT NULL,
  review_on     TEXT NOT NULL,
  answers_json  TEXT,
  scale_json    TEXT NOT NULL,
  search        TEXT NOT NULL DEFAULT '',
  version       INTEGER NOT NULL DEFAULT 1,
  archived      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  created_by    INTEGER,
  updated_by    INTEGER
) STRICT;
CREATE INDEX classification_infoset ON classification(org_id, infoset_id, id);

-- Which systems handle which information (the derivation's edges).
CREATE TABLE system_information (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisation(id),
  system_id   INTEGER NOT NULL REFERENCES it_system(id),
  infoset_id  INTEGER NOT NULL REFERENCES information_set(id),
  note        TEXT,
  search      TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  created_by  INTEGER,
  updated_by  INTEGER
) STRICT;
CREATE INDEX system_information_system ON system_information(org_id, system_id, archived);
CREATE INDEX system_information_infoset ON system_information(org_id, infoset_id, archived);

-- People in the system's roles beyond the owner: business/information
-- owners, system managers, administrators.
CREATE TABLE system_person (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisation(id),
  system_id   INTEGER NOT NULL REFERENCES it_system(id),
  person_id   INTEGER NOT NULL REFERENCES person(id),
  role        TEXT NOT NULL,
  search      TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  created_by  INTEGER,
  updated_by  INTEGER
) STRICT;
CREATE INDEX system_person_system ON system_person(org_id, system_id, archived);
CREATE INDEX system_person_person ON system_person(person_id);

-- Dependencies and integrations: this system and another, the direction
-- the data flows, and what flows.
CREATE TABLE system_dependency (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisation(id),
  system_id   INTEGER NOT NULL REFERENCES it_system(id),
  other_id    INTEGER NOT NULL REFERENCES it_system(id),
  direction   TEXT NOT NULL,
  flows       TEXT,
  search      TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  created_by  INTEGER,
  updated_by  INTEGER
) STRICT;
CREATE INDEX system_dependency_system ON system_dependency(org_id, system_id, archived);
CREATE INDEX system_dependency_other ON system_dependency(org_id, other_id, archived);
