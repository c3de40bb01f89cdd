-- 0005 the system register as its users meet it (issue 7, part "model"):
--
-- * "Never classified is not 0" (R-3-04): a system's level per aspect is
--   NULL until some information it handles is classified for that aspect
--   or the owner raises it.  SQLite cannot drop NOT NULL, so it_system is
--   rebuilt: create, copy, drop, rename, indexes and search triggers again.
--   Its parts (system_information, system_person, system_dependency) refer
--   to it; with foreign keys on, dropping a parent with children fails at
--   COMMIT even when deferred, so the parts' rows are set aside in
--   temporary tables and put back, with their ids, after the rename.
-- * Maintained columns for lists and the system's page: how many live
--   information sets it handles and how many of them lack a level
--   (infosets_total, infosets_unclassified), the highest level over the
--   aspects (level_max, NULL when none; the list sorts by it), what the last
--   derivation changed (level_change_json), whether it lacks one of its
--   roles (roles_missing, R-1-18) or a security plan it needs before
--   operation (security_plan_missing, R-2-09).
-- * New fields of seed 004 §3-4 and practice on systems, information sets
--   and system roles; who appointed a system owner and when (R-1-09,
--   R-1-10); the organisation's floor for confidentiality of sensitive or
--   secret information (min_k_sensitive).
-- Same in pg/0005_register_fields.sql, where the columns are altered and
-- added in the same order.

CREATE TEMP TABLE keep_system_information AS SELECT * FROM system_information;
CREATE TEMP TABLE keep_system_person AS SELECT * FROM system_person;
CREATE TEMP TABLE keep_system_dependency AS SELECT * FROM system_dependency;
DELETE FROM system_information;
DELETE FROM system_person;
DELETE FROM system_dependency;

CREATE TABLE it_system_new (
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
  level_k              INTEGER,
  level_r              INTEGER,
  level_t              INTEGER,
  level_s              INTEGER,
  business_critical    INTEGER NOT NULL DEFAULT 0,
  needs_review         INTEGER NOT NULL DEFAULT 0,
  search               TEXT NOT NULL DEFAULT '',
  version              INTEGER NOT NULL DEFAULT 1,
  archived             INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  created_by           INTEGER,
  updated_by           INTEGER,
  infosets_total       INTEGER NOT NULL DEFAULT 0,
  infosets_unclassified INTEGER NOT NULL DEFAULT 0,
  level_max            INTEGER,
  level_change_json    TEXT,
  roles_missing        INTEGER NOT NULL DEFAULT 0,
  security_plan_missing INTEGER NOT NULL DEFAULT 0,
  owner_appointed_by   INTEGER REFERENCES person(id),
  owner_appointed_on   TEXT,
  business_owner_id    INTEGER REFERENCES person(id),
  dpa                  TEXT,
  dpa_date             TEXT,
  third_country        INTEGER NOT NULL DEFAULT 0,
  third_country_detail TEXT,
  support_ends         TEXT,
  patch_status         TEXT,
  patch_checked_on     TEXT,
  patch_checked_by     INTEGER REFERENCES person(id),
  backup_by            TEXT,
  backup_how           TEXT,
  test_environment     INTEGER NOT NULL DEFAULT 0,
  remote_access        TEXT,
  external_auth        TEXT,
  doc_system           TEXT,
  doc_operations       TEXT,
  operations_agreement TEXT
) STRICT;

INSERT INTO it_system_new (id, org_id, name, name_sk, description, purpose, unit_id,
  owner_id, supplier, supplier_sk, agreement, agreement_security, agreement_expires,
  hosting, hosting_country, lifecycle, critical_society, personal_data, gdpr_ref,
  users_count, last_security_update, key_person_risk, raise_k, raise_r, raise_t,
  raise_s, raise_reason, level_k, level_r, level_t, level_s, business_critical,
  needs_review, search, version, archived, created_at, updated_at, created_by,
  updated_by)
SELECT id, org_id, name, name_sk, description, purpose, unit_id,
  owner_id, supplier, supplier_sk, agreement, agreement_security, agreement_expires,
  hosting, hosting_country, lifecycle, critical_society, personal_data, gdpr_ref,
  users_count, last_security_update, key_person_risk, raise_k, raise_r, raise_t,
  raise_s, raise_reason, level_k, level_r, level_t, level_s, business_critical,
  needs_review, search, version, archived, created_at, updated_at, created_by,
  updated_by
FROM it_system;

DROP TABLE it_system;
ALTER TABLE it_system_new RENAME TO it_system;

INSERT INTO system_information SELECT * FROM keep_system_information;
INSERT INTO system_person SELECT * FROM keep_system_person;
INSERT INTO system_dependency SELECT * FROM keep_system_dependency;
DROP TABLE keep_system_information;
DROP TABLE keep_system_person;
DROP TABLE keep_system_dependency;

CREATE INDEX it_system_org_name ON it_system(org_id, archived, name_sk, id);
CREATE INDEX it_system_owner ON it_system(owner_id);
CREATE INDEX it_system_unit ON it_system(unit_id);
CREATE INDEX it_system_review ON it_system (org_id, archived, needs_review, owner_id)
  WHERE needs_review = 1;
CREATE INDEX it_system_no_owner ON it_system (org_id, archived, owner_id)
  WHERE owner_id IS NULL;
-- the list sorted by protection level (entity.c sorts a nullable number
-- by COALESCE(level_max, -1): unclassified last when highest first)
CREATE INDEX it_system_level_max ON it_system(org_id, archived, (COALESCE(level_max, -1)), id);
CREATE INDEX it_system_roles_missing ON it_system (org_id, archived, roles_missing)
  WHERE roles_missing = 1;
CREATE INDEX it_system_plan_missing ON it_system (org_id, archived, security_plan_missing)
  WHERE security_plan_missing = 1;
CREATE INDEX it_system_business_owner ON it_system(business_owner_id);

CREATE TRIGGER it_system_search_ins AFTER INSERT ON it_system
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('it_system', new.id);
END;
CREATE TRIGGER it_system_search_upd AFTER UPDATE OF search ON it_system
  WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('it_system', new.id);
END;
CREATE TRIGGER it_system_search_del AFTER DELETE ON it_system
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('it_system', old.id);
END;

-- A set never classified has no level: before this change a new set was
-- stored with 0 in each (the engine wrote 0 into unset derived numbers),
-- which is exactly the "0 Försumbar" this change removes.
UPDATE information_set SET level_k = NULL, level_r = NULL, level_t = NULL, level_s = NULL
  WHERE classified_on IS NULL;

-- The levels again, by the rule of derive.c: per aspect the highest level
-- of the live information sets a system handles through live links, or
-- the owner's raise when higher; NULL when neither gives one.
UPDATE it_system SET
  level_k = (SELECT max(v) FROM (
    SELECT i.level_k AS v FROM system_information l JOIN information_set i
      ON i.id = l.infoset_id AND i.org_id = l.org_id AND i.archived = 0
      WHERE l.org_id = it_system.org_id AND l.system_id = it_system.id AND l.archived = 0
    UNION ALL SELECT it_system.raise_k) x),
  level_r = (SELECT max(v) FROM (
    SELECT i.level_r AS v FROM system_information l JOIN information_set i
      ON i.id = l.infoset_id AND i.org_id = l.org_id AND i.archived = 0
      WHERE l.org_id = it_system.org_id AND l.system_id = it_system.id AND l.archived = 0
    UNION ALL SELECT it_system.raise_r) x),
  level_t = (SELECT max(v) FROM (
    SELECT i.level_t AS v FROM system_information l JOIN information_set i
      ON i.id = l.infoset_id AND i.org_id = l.org_id AND i.archived = 0
      WHERE l.org_id = it_system.org_id AND l.system_id = it_system.id AND l.archived = 0
    UNION ALL SELECT it_system.raise_t) x),
  level_s = (SELECT max(v) FROM (
    SELECT i.level_s AS v FROM system_information l JOIN information_set i
      ON i.id = l.infoset_id AND i.org_id = l.org_id AND i.archived = 0
      WHERE l.org_id = it_system.org_id AND l.system_id = it_system.id AND l.archived = 0
    UNION ALL SELECT it_system.raise_s) x),
  infosets_total = (SELECT count(*) FROM system_information l JOIN information_set i
      ON i.id = l.infoset_id AND i.org_id = l.org_id AND i.archived = 0
      WHERE l.org_id = it_system.org_id AND l.system_id = it_system.id AND l.archived = 0),
  infosets_unclassified = (SELECT count(*) FROM system_information l JOIN information_set i
      ON i.id = l.infoset_id AND i.org_id = l.org_id AND i.archived = 0
      WHERE l.org_id = it_system.org_id AND l.system_id = it_system.id AND l.archived = 0
      AND i.classified_on IS NULL),
  security_plan_missing = CASE WHEN critical_society = 1
      AND lifecycle IN ('introducing', 'operation') THEN 1 ELSE 0 END;
UPDATE it_system SET
  level_max = (SELECT max(v) FROM (SELECT it_system.level_k AS v UNION ALL
    SELECT it_system.level_r UNION ALL SELECT it_system.level_t UNION ALL
    SELECT it_system.level_s) x),
  business_critical = CASE WHEN level_r >= 3 OR level_t >= 3 THEN 1 ELSE 0 END,
  roles_missing = CASE WHEN owner_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM system_person p WHERE p.org_id = it_system.org_id
      AND p.system_id = it_system.id AND p.archived = 0 AND p.role = 'business_owner')
    OR NOT EXISTS (SELECT 1 FROM system_person p WHERE p.org_id = it_system.org_id
      AND p.system_id = it_system.id AND p.archived = 0 AND p.role = 'manager')
    OR NOT EXISTS (SELECT 1 FROM system_person p WHERE p.org_id = it_system.org_id
      AND p.system_id = it_system.id AND p.archived = 0 AND p.role = 'administrator')
    THEN 1 ELSE 0 END;

-- Information sets (R-3-07, R-3-08, R-3-09, R-3-13 and retention).
ALTER TABLE information_set ADD COLUMN retention TEXT;
ALTER TABLE information_set ADD COLUMN info_plan_ref TEXT;
ALTER TABLE information_set ADD COLUMN legal_basis TEXT;
ALTER TABLE information_set ADD COLUMN special_laws TEXT;
ALTER TABLE information_set ADD COLUMN public_access TEXT;
ALTER TABLE information_set ADD COLUMN entry_how TEXT;
ALTER TABLE information_set ADD COLUMN secrecy_decided_by INTEGER REFERENCES person(id);
ALTER TABLE information_set ADD COLUMN secrecy_decided_on TEXT;

-- Who appointed a person to a system role, and when (R-1-10).
ALTER TABLE system_person ADD COLUMN appointed_by INTEGER REFERENCES person(id);
ALTER TABLE system_person ADD COLUMN appointed_on TEXT;
CREATE INDEX system_person_role ON system_person(org_id, system_id, archived, role);

-- The lowest confidentiality level a classification of sensitive personal
-- data or secret information takes without a motivation.
ALTER TABLE organisation ADD COLUMN min_k_sensitive INTEGER NOT NULL DEFAULT 2;

-- A record's latest event of one kind (a system's last review, R-2-01),
-- found without reading the organisation's whole trail.
CREATE INDEX audit_event_entity_action ON audit_event(org_id, entity, entity_id, action, seq);
