-- 0020 incident_stats: the numbers behind the incidents' compilation for
-- management (issue 11; seed 004 §4, R-8-24..26), kept as the incidents
-- change, so that a compilation over a period reads months x a few rows
-- by key and never the incidents.
--
-- The incident carries what the triggers cannot compute themselves,
-- written by the module (compilation.c, incident_stat_fill, from the
-- register's validate) on every write:
--   stat_month      the month of reported_at in Stockholm time ("2026-03"),
--   stat_assess_s   seconds from the report to the assessment (NULL: not yet),
--   stat_restore_s  seconds from the report to restored operations,
--   stat_breach     a breach of law or internal rules (R-8-25): a reporting
--                   duty answered yes, or human error with personal data,
--   stat_disrupt    caused or could have caused significant disruption
--                   (R-8-26): availability harmed with consequence 3 or
--                   more, an outage of severity 3 or more, or escalated.
-- They are ordinary columns, backed up with the row.
ALTER TABLE incident ADD COLUMN stat_month TEXT;
ALTER TABLE incident ADD COLUMN stat_assess_s INTEGER;
ALTER TABLE incident ADD COLUMN stat_restore_s INTEGER;
ALTER TABLE incident ADD COLUMN stat_breach INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incident ADD COLUMN stat_disrupt INTEGER NOT NULL DEFAULT 0;

-- incident_month_stat: live (not archived) incidents per organisation,
-- month, unit (0: none), category, severity (0: not assessed), root-cause
-- group ('': none), state group (open, closed, not_incident) and the two
-- flags; with the sums of the times to assess and to restore and how many
-- each sums.  Derived data (struct module's derived_tables): not backed
-- up; a restore's inserts of incident run the same triggers.
CREATE TABLE incident_month_stat (
  org_id      INTEGER NOT NULL,
  month       TEXT NOT NULL,
  unit_id     INTEGER NOT NULL,
  category    TEXT NOT NULL,
  severity    INTEGER NOT NULL,
  root_group  TEXT NOT NULL,
  state_group TEXT NOT NULL,
  breach      INTEGER NOT NULL,
  disrupt     INTEGER NOT NULL,
  n           INTEGER NOT NULL DEFAULT 0,
  assess_n    INTEGER NOT NULL DEFAULT 0,
  assess_s    INTEGER NOT NULL DEFAULT 0,
  restore_n   INTEGER NOT NULL DEFAULT 0,
  restore_s   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, month, unit_id, category, severity, root_group, state_group,
               breach, disrupt)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER incident_month_stat_ins AFTER INSERT ON incident
  WHEN new.archived = 0 AND new.stat_month IS NOT NULL
BEGIN
  INSERT INTO incident_month_stat (org_id, month, unit_id, category, severity, root_group,
      state_group, breach, disrupt, n, assess_n, assess_s, restore_n, restore_s)
    VALUES (new.org_id, new.stat_month, coalesce(new.unit_id, 0), new.category,
      coalesce(new.severity, 0), coalesce(new.root_cause_group, ''),
      CASE new.state WHEN 'closed' THEN 'closed' WHEN 'not_incident' THEN 'not_incident'
        ELSE 'open' END, new.stat_breach, new.stat_disrupt, 1,
      new.stat_assess_s IS NOT NULL, coalesce(new.stat_assess_s, 0),
      new.stat_restore_s IS NOT NULL, coalesce(new.stat_restore_s, 0))
  ON CONFLICT (org_id, month, unit_id, category, severity, root_group, state_group,
      breach, disrupt) DO UPDATE SET n = n + 1,
    assess_n = assess_n + excluded.assess_n, assess_s = assess_s + excluded.assess_s,
    restore_n = restore_n + excluded.restore_n, restore_s = restore_s + excluded.restore_s;
END;

CREATE TRIGGER incident_month_stat_del AFTER DELETE ON incident
  WHEN old.archived = 0 AND old.stat_month IS NOT NULL
BEGIN
  UPDATE incident_month_stat SET n = n - 1,
      assess_n = assess_n - (old.stat_assess_s IS NOT NULL),
      assess_s = assess_s - coalesce(old.stat_assess_s, 0),
      restore_n = restore_n - (old.stat_restore_s IS NOT NULL),
      restore_s = restore_s - coalesce(old.stat_restore_s, 0)
    WHERE org_id = old.org_id AND month = old.stat_month
      AND unit_id = coalesce(old.unit_id, 0) AND category = old.category
      AND severity = coalesce(old.severity, 0)
      AND root_group = coalesce(old.root_cause_group, '')
      AND state_group = CASE old.state WHEN 'closed' THEN 'closed'
        WHEN 'not_incident' THEN 'not_incident' ELSE 'open' END
      AND breach = old.stat_breach AND disrupt = old.stat_disrupt;
  -- an emptied row goes, so a period's range holds only what it counts
  DELETE FROM incident_month_stat WHERE org_id = old.org_id AND month = old.stat_month
    AND n = 0;
END;

-- an update is the old row out and the new row in; only when something
-- counted changed, so other edits never touch the counters
CREATE TRIGGER incident_month_stat_upd_out AFTER UPDATE ON incident
  WHEN old.archived = 0 AND old.stat_month IS NOT NULL AND (new.archived <> 0
    OR new.org_id <> old.org_id OR new.stat_month IS NOT old.stat_month
    OR new.unit_id IS NOT old.unit_id OR new.category <> old.category
    OR new.severity IS NOT old.severity OR new.root_cause_group IS NOT old.root_cause_group
    OR new.state <> old.state OR new.stat_breach <> old.stat_breach
    OR new.stat_disrupt <> old.stat_disrupt OR new.stat_assess_s IS NOT old.stat_assess_s
    OR new.stat_restore_s IS NOT old.stat_restore_s)
BEGIN
  UPDATE incident_month_stat SET n = n - 1,
      assess_n = assess_n - (old.stat_assess_s IS NOT NULL),
      assess_s = assess_s - coalesce(old.stat_assess_s, 0),
      restore_n = restore_n - (old.stat_restore_s IS NOT NULL),
      restore_s = restore_s - coalesce(old.stat_restore_s, 0)
    WHERE org_id = old.org_id AND month = old.stat_month
      AND unit_id = coalesce(old.unit_id, 0) AND category = old.category
      AND severity = coalesce(old.severity, 0)
      AND root_group = coalesce(old.root_cause_group, '')
      AND state_group = CASE old.state WHEN 'closed' THEN 'closed'
        WHEN 'not_incident' THEN 'not_incident' ELSE 'open' END
      AND breach = old.stat_breach AND disrupt = old.stat_disrupt;
  -- an emptied row goes, so a period's range holds only what it counts
  DELETE FROM incident_month_stat WHERE org_id = old.org_id AND month = old.stat_month
    AND n = 0;
END;

CREATE TRIGGER incident_month_stat_upd_in AFTER UPDATE ON incident
  WHEN new.archived = 0 AND new.stat_month IS NOT NULL AND (old.archived <> 0
    OR new.org_id <> old.org_id OR new.stat_month IS NOT old.stat_month
    OR new.unit_id IS NOT old.unit_id OR new.category <> old.category
    OR new.severity IS NOT old.severity OR new.root_cause_group IS NOT old.root_cause_group
    OR new.state <> old.state OR new.stat_breach <> old.stat_breach
    OR new.stat_disrupt <> old.stat_disrupt OR new.stat_assess_s IS NOT old.stat_assess_s
    OR new.stat_restore_s IS NOT old.stat_restore_s)
BEGIN
  INSERT INTO incident_month_stat (org_id, month, unit_id, category, severity, root_group,
      state_group, breach, disrupt, n, assess_n, assess_s, restore_n, restore_s)
    VALUES (new.org_id, new.stat_month, coalesce(new.unit_id, 0), new.category,
      coalesce(new.severity, 0), coalesce(new.root_cause_group, ''),
      CASE new.state WHEN 'closed' THEN 'closed' WHEN 'not_incident' THEN 'not_incident'
        ELSE 'open' END, new.stat_breach, new.stat_disrupt, 1,
      new.stat_assess_s IS NOT NULL, coalesce(new.stat_assess_s, 0),
      new.stat_restore_s IS NOT NULL, coalesce(new.stat_restore_s, 0))
  ON CONFLICT (org_id, month, unit_id, category, severity, root_group, state_group,
      breach, disrupt) DO UPDATE SET n = n + 1,
    assess_n = assess_n + excluded.assess_n, assess_s = assess_s + excluded.assess_s,
    restore_n = restore_n + excluded.restore_n, restore_s = restore_s + excluded.restore_s;
END;

-- the reporting duties met on time per receiver, for a period: pending
-- and discharged duties by deadline
CREATE INDEX incident_obligation_period ON incident_obligation(org_id, archived, due_at,
  receiver, status, discharged_at);
