-- 0007 the organisation as its users meet it (issue 7): the bodies of the
-- security work (seed 001 §1, seed 004 §3: the information-security
-- function, the management group, the IT preparation group) with their
-- members, and indexes for what the start page, "Kom igång" and the unit
-- and person pages ask.  Same in pg/0007_org.sql.

-- A body: the information-security function (where it sits, whether it
-- reports directly to top management, its share of working time, its
-- partners and networks), the management group (its chair) or the IT
-- preparation group; members in org_body_member.
CREATE TABLE org_body (
  id              INTEGER PRIMARY KEY,
  org_id          INTEGER NOT NULL REFERENCES organisation(id),
  name            TEXT NOT NULL,
  name_sk         TEXT NOT NULL,
  kind            TEXT NOT NULL,
  unit_id         INTEGER REFERENCES unit(id),
  chair_id        INTEGER REFERENCES person(id),
  reports_to_top  INTEGER NOT NULL DEFAULT 0,
  time_share      INTEGER,
  advisory        TEXT,
  partners        TEXT,
  description     TEXT,
  search          TEXT NOT NULL DEFAULT '',
  version         INTEGER NOT NULL DEFAULT 1,
  archived        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  created_by      INTEGER,
  updated_by      INTEGER
) STRICT;
CREATE INDEX org_body_org_name ON org_body(org_id, archived, name_sk, id);
CREATE INDEX org_body_unit ON org_body(unit_id);
CREATE INDEX org_body_chair ON org_body(chair_id);

CREATE TABLE org_body_member (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisation(id),
  body_id     INTEGER NOT NULL REFERENCES org_body(id),
  person_id   INTEGER NOT NULL REFERENCES person(id),
  task        TEXT,
  search      TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  created_by  INTEGER,
  updated_by  INTEGER
) STRICT;
CREATE INDEX org_body_member_body ON org_body_member(org_id, body_id, archived);
CREATE INDEX org_body_member_person ON org_body_member(person_id);

-- The start page's recent events leave out refused requests (the audit
-- trail has them): bounded by the index however many refusals there are.
CREATE INDEX audit_event_org_work ON audit_event(org_id, seq) WHERE action <> 'denied';

-- A unit's page lists its sub-units, people and roles; a person's page
-- what they own (it_system_owner, it_system_unit, system_person_person
-- exist); "Kom igång" asks whether any set is classified.
CREATE INDEX unit_parent ON unit(parent_id);
CREATE INDEX person_unit ON person(unit_id);
CREATE INDEX role_assignment_unit ON role_assignment(unit_id);
CREATE INDEX information_set_unit ON information_set(unit_id);
CREATE INDEX information_set_classified ON information_set(org_id, archived)
  WHERE classified_on IS NOT NULL;
