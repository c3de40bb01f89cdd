-- 0014 security plans: the system security plan (systemsäkerhetsplan,
-- issue 10; seed 004 §3 Systemägare, §8; R-5-xx).  Same conventions as
-- 0001 and 0002.
--
-- security_plan: one version of a system's plan.  Versions are rows: a
-- system's versions are numbered 1, 2, ... (plan_version) and the newest
-- has latest = 1.  A draft is written by the owner; a signed version is
-- frozen (by the module's validate) and kept as it was signed, with the
-- facts Värn knew at signing (facts_json) and the basis the listener
-- compares with (basis: levels and unit); needs_new_version says that
-- basis changed since, new_version_reason why.
CREATE TABLE security_plan (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  system_id           INTEGER NOT NULL REFERENCES it_system(id),
  title               TEXT NOT NULL,
  title_sk            TEXT NOT NULL,
  plan_version        INTEGER NOT NULL DEFAULT 1,
  state               TEXT NOT NULL DEFAULT 'draft',
  latest              INTEGER NOT NULL DEFAULT 1,
  needs_new_version   INTEGER NOT NULL DEFAULT 0,
  new_version_reason  TEXT,
  signed_by           INTEGER REFERENCES person(id),
  signed_on           TEXT,
  signed_recorded_by  INTEGER REFERENCES person(id),
  review_on           TEXT,
  previous_id         INTEGER REFERENCES security_plan(id),
  information         TEXT,
  laws                TEXT,
  cia_requirements    TEXT,
  extra_requirements  TEXT,
  threats             TEXT,
  access_profiles     TEXT,
  access_decided_by   TEXT,
  log_scope           TEXT,
  log_followup_who    TEXT,
  log_followup_often  TEXT,
  log_retention       TEXT,
  max_outage          TEXT,
  max_data_loss       TEXT,
  restore_time        TEXT,
  backup              TEXT,
  continuity          TEXT,
  organisation_roles  TEXT,
  basis               TEXT,
  facts_json          TEXT,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX security_plan_org ON security_plan(org_id, archived, title_sk, id);
-- a system's versions, newest first (the newest live one has latest = 1:
-- the module moves the flag inside the write that adds a version, after
-- the row is written, so no unique index can hold it)
CREATE UNIQUE INDEX security_plan_system ON security_plan(org_id, system_id, plan_version);
-- the waiting lines, the overview's numbers and the lists behind them:
-- the newest versions by state and review date, those needing a new
-- version
CREATE INDEX security_plan_review ON security_plan(org_id, latest, archived, state, review_on, id);
CREATE INDEX security_plan_renew ON security_plan(org_id, latest, archived, needs_new_version, id);

-- secplan_need: per system, whether it needs a plan (live, in operation,
-- business-critical or classified; or critical to society, in operation or
-- being introduced: R-2-09) and whether it has one (a live
-- version).  Kept by triggers from it_system and security_plan in the
-- writes' transactions, so "systems in operation without a plan" is read
-- from an index however many systems have plans.  A derived table (not
-- backed up).
CREATE TABLE secplan_need (
  org_id      INTEGER NOT NULL,
  system_id   INTEGER NOT NULL PRIMARY KEY,
  name_sk     TEXT NOT NULL DEFAULT '',
  needs_plan  INTEGER NOT NULL DEFAULT 0,
  has_plan    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX secplan_need_missing ON secplan_need(org_id, name_sk, system_id)
  WHERE needs_plan = 1 AND has_plan = 0;

INSERT INTO secplan_need (org_id, system_id, name_sk, needs_plan, has_plan)
  SELECT org_id, id, name_sk, CASE WHEN archived = 0 AND (lifecycle = 'operation'
    AND (business_critical = 1 OR level_max IS NOT NULL)
    OR critical_society = 1 AND lifecycle IN ('introducing', 'operation')) THEN 1 ELSE 0 END, 0
  FROM it_system;

CREATE TRIGGER secplan_need_system_ins AFTER INSERT ON it_system
BEGIN
  INSERT INTO secplan_need (org_id, system_id, name_sk, needs_plan, has_plan)
    VALUES (new.org_id, new.id, new.name_sk, CASE WHEN new.archived = 0
      AND (new.lifecycle = 'operation'
      AND (new.business_critical = 1 OR new.level_max IS NOT NULL)
      OR new.critical_society = 1 AND new.lifecycle IN ('introducing', 'operation')) THEN 1 ELSE 0 END,
      EXISTS (SELECT 1 FROM security_plan p WHERE p.system_id = new.id AND p.archived = 0))
  ON CONFLICT (system_id) DO UPDATE SET name_sk = excluded.name_sk,
    needs_plan = excluded.needs_plan, has_plan = excluded.has_plan;
END;
CREATE TRIGGER secplan_need_system_upd AFTER UPDATE ON it_system
  WHEN old.archived IS NOT new.archived OR old.lifecycle IS NOT new.lifecycle
    OR old.business_critical IS NOT new.business_critical
    OR old.critical_society IS NOT new.critical_society
    OR old.level_max IS NOT new.level_max OR old.name_sk IS NOT new.name_sk
BEGIN
  UPDATE secplan_need SET name_sk = new.name_sk, needs_plan = CASE WHEN new.archived = 0
      AND (new.lifecycle = 'operation'
      AND (new.business_critical = 1 OR new.level_max IS NOT NULL)
      OR new.critical_society = 1 AND new.lifecycle IN ('introducing', 'operation')) THEN 1 ELSE 0 END
    WHERE system_id = new.id;
END;
CREATE TRIGGER secplan_need_system_del AFTER DELETE ON it_system
BEGIN
  DELETE FROM secplan_need WHERE system_id = old.id;
END;
CREATE TRIGGER secplan_need_plan_ins AFTER INSERT ON security_plan
  WHEN new.archived = 0
BEGIN
  UPDATE secplan_need SET has_plan = 1 WHERE system_id = new.system_id;
END;
CREATE TRIGGER secplan_need_plan_upd AFTER UPDATE ON security_plan
  WHEN old.archived IS NOT new.archived OR old.system_id IS NOT new.system_id
BEGIN
  UPDATE secplan_need SET has_plan = EXISTS (SELECT 1 FROM security_plan p
      WHERE p.system_id = secplan_need.system_id AND p.archived = 0)
    WHERE system_id IN (old.system_id, new.system_id);
END;
CREATE TRIGGER secplan_need_plan_del AFTER DELETE ON security_plan
BEGIN
  UPDATE secplan_need SET has_plan = EXISTS (SELECT 1 FROM security_plan p
      WHERE p.system_id = secplan_need.system_id AND p.archived = 0)
    WHERE system_id = old.system_id;
END;
