-- 0025 sign-in through the organisation's identity sources (issue 13;
-- seed 004 §4 accounts, 002 strong authentication).  modules/signin.
--
-- identity_source: an Active Directory/LDAP directory or an OpenID Connect
-- provider of one organisation.  config is a JSON object of the kind's
-- plain settings; secret is base64(nonce || secretbox(JSON of the secret
-- settings)) under a key derived from the server key and the row's id, so
-- the database alone does not give away a bind password or client secret.
CREATE TABLE identity_source (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organisation(id),
  kind          TEXT NOT NULL,
  name          TEXT NOT NULL,
  name_sk       TEXT NOT NULL,
  enabled       INTEGER NOT NULL DEFAULT 1,
  default_role  TEXT,
  config        TEXT NOT NULL DEFAULT '{}',
  secret        TEXT,
  version       INTEGER NOT NULL DEFAULT 1,
  archived      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  created_by    INTEGER,
  updated_by    INTEGER
) STRICT;
CREATE INDEX identity_source_org ON identity_source(org_id, archived, name_sk, id);
CREATE INDEX identity_source_kind ON identity_source(kind, enabled, archived, id);

-- identity_group_role: members of grp (a DN, a group name or an id, as the
-- source lists it; matched case-insensitively through grp_fold) get role in
-- the source's organisation, for unit_id or the whole organisation.
CREATE TABLE identity_group_role (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisation(id),
  source_id   INTEGER NOT NULL REFERENCES identity_source(id),
  grp         TEXT NOT NULL,
  grp_fold    TEXT NOT NULL,
  role        TEXT NOT NULL,
  unit_id     INTEGER REFERENCES unit(id),
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  created_by  INTEGER
) STRICT;
CREATE INDEX identity_group_role_source ON identity_group_role(source_id, archived, grp_fold);

-- external_identity: the account a source's subject signed in as.
CREATE TABLE external_identity (
  id            INTEGER PRIMARY KEY,
  source_id     INTEGER NOT NULL REFERENCES identity_source(id),
  subject       TEXT NOT NULL,
  user_id       INTEGER NOT NULL REFERENCES app_user(id),
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  UNIQUE (source_id, subject)
) STRICT;
CREATE INDEX external_identity_user ON external_identity(user_id);

-- A role given by a source's group mapping names the source; a role given
-- by hand has none, and a sign-in never touches it.  No foreign key: the
-- foundation's table is backed up before the module's (sources are
-- archived, never deleted, so the id always names one).
ALTER TABLE role_assignment ADD COLUMN source_id INTEGER;
CREATE INDEX role_assignment_source ON role_assignment(person_id, source_id);

-- The audit trail masks the actor of a person with a protected identity
-- (web/pages_audit.c): the few such people of an organisation by key.
CREATE INDEX person_protected ON person(org_id, protected_identity, id);
