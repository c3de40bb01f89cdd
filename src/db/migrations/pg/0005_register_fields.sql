-- 0005 the system register as its users meet it (PostgreSQL dialect of
-- sqlite/0005_register_fields.sql, which says why).  PostgreSQL drops NOT
-- NULL in place, so it_system is altered, not rebuilt; the new columns are
-- added in the order SQLite's rebuilt table has them.

ALTER TABLE it_system ALTER COLUMN level_k DROP NOT NULL, ALTER COLUMN level_k DROP DEFAULT,
  ALTER COLUMN level_r DROP NOT NULL, ALTER COLUMN level_r DROP DEFAULT,
  ALTER COLUMN level_t DROP NOT NULL, ALTER COLUMN level_t DROP DEFAULT,
  ALTER COLUMN level_s DROP NOT NULL, ALTER COLUMN level_s DROP DEFAULT;
ALTER TABLE it_system
  ADD COLUMN infosets_total bigint NOT NULL DEFAULT 0,
  ADD COLUMN infosets_unclassified bigint NOT NULL DEFAULT 0,
  ADD COLUMN level_max bigint,
  ADD COLUMN level_change_json text,
  ADD COLUMN roles_missing bigint NOT NULL DEFAULT 0,
  ADD COLUMN security_plan_missing bigint NOT NULL DEFAULT 0,
  ADD COLUMN owner_appointed_by bigint REFERENCES person(id) DEFERRABLE,
  ADD COLUMN owner_appointed_on text,
  ADD COLUMN business_owner_id bigint REFERENCES person(id) DEFERRABLE,
  ADD COLUMN dpa text,
  ADD COLUMN dpa_date text,
  ADD COLUMN third_country bigint NOT NULL DEFAULT 0,
  ADD COLUMN third_country_detail text,
  ADD COLUMN support_ends text,
  ADD COLUMN patch_status text,
  ADD COLUMN patch_checked_on text,
  ADD COLUMN patch_checked_by bigint REFERENCES person(id) DEFERRABLE,
  ADD COLUMN backup_by text,
  ADD COLUMN backup_how text,
  ADD COLUMN test_environment bigint NOT NULL DEFAULT 0,
  ADD COLUMN remote_access text,
  ADD COLUMN external_auth text,
  ADD COLUMN doc_system text,
  ADD COLUMN doc_operations text,
  ADD COLUMN operations_agreement text;

-- the list sorted by protection level (entity.c sorts a nullable number
-- by COALESCE(level_max, -1): unclassified last when highest first)
CREATE INDEX it_system_level_max ON it_system(org_id, archived, (COALESCE(level_max, -1)), id);
CREATE INDEX it_system_roles_missing ON it_system (org_id, archived, roles_missing)
  WHERE roles_missing = 1;
CREATE INDEX it_system_plan_missing ON it_system (org_id, archived, security_plan_missing)
  WHERE security_plan_missing = 1;
CREATE INDEX it_system_business_owner ON it_system(business_owner_id);

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
ALTER TABLE information_set ADD COLUMN retention text;
ALTER TABLE information_set ADD COLUMN info_plan_ref text;
ALTER TABLE information_set ADD COLUMN legal_basis text;
ALTER TABLE information_set ADD COLUMN special_laws text;
ALTER TABLE information_set ADD COLUMN public_access text;
ALTER TABLE information_set ADD COLUMN entry_how text;
ALTER TABLE information_set ADD COLUMN secrecy_decided_by bigint REFERENCES person(id) DEFERRABLE;
ALTER TABLE information_set ADD COLUMN secrecy_decided_on text;

-- Who appointed a person to a system role, and when (R-1-10).
ALTER TABLE system_person ADD COLUMN appointed_by bigint REFERENCES person(id) DEFERRABLE;
ALTER TABLE system_person ADD COLUMN appointed_on text;
CREATE INDEX system_person_role ON system_person(org_id, system_id, archived, role);

-- The lowest confidentiality level a classification of sensitive personal
-- data or secret information takes without a motivation.
ALTER TABLE organisation ADD COLUMN min_k_sensitive bigint NOT NULL DEFAULT 2;

-- A record's latest event of one kind (a system's last review, R-2-01),
-- found without reading the organisation's whole trail.
CREATE INDEX audit_event_entity_action ON audit_event(org_id, entity, entity_id, action, seq);
