-- 0020 incident_stats: the numbers behind the incidents' compilation for
-- management (see the SQLite twin for what they are): the values the
-- module writes on the incident for the triggers, and incident_month_stat,
-- live incidents per organisation, month (Stockholm), unit, category,
-- severity, root-cause group, state group and the seed 004 flags, with
-- the sums of the times to assess and to restore.  Derived, not backed up.
ALTER TABLE incident ADD COLUMN stat_month text COLLATE "C";
ALTER TABLE incident ADD COLUMN stat_assess_s bigint;
ALTER TABLE incident ADD COLUMN stat_restore_s bigint;
ALTER TABLE incident ADD COLUMN stat_breach bigint NOT NULL DEFAULT 0;
ALTER TABLE incident ADD COLUMN stat_disrupt bigint NOT NULL DEFAULT 0;

CREATE TABLE incident_month_stat (
  org_id      bigint NOT NULL,
  month       text COLLATE "C" NOT NULL,
  unit_id     bigint NOT NULL,
  category    text COLLATE "C" NOT NULL,
  severity    bigint NOT NULL,
  root_group  text COLLATE "C" NOT NULL,
  state_group text COLLATE "C" NOT NULL,
  breach      bigint NOT NULL,
  disrupt     bigint NOT NULL,
  n           bigint NOT NULL DEFAULT 0,
  assess_n    bigint NOT NULL DEFAULT 0,
  assess_s    bigint NOT NULL DEFAULT 0,
  restore_n   bigint NOT NULL DEFAULT 0,
  restore_s   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, month, unit_id, category, severity, root_group, state_group,
               breach, disrupt)
);

CREATE FUNCTION incident_state_group(state text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE state WHEN 'closed' THEN 'closed' WHEN 'not_incident' THEN 'not_incident'
    ELSE 'open' END
$$;

CREATE FUNCTION incident_month_stat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.archived = 0 AND OLD.stat_month IS NOT NULL THEN
    UPDATE incident_month_stat SET n = n - 1,
        assess_n = assess_n - (CASE WHEN OLD.stat_assess_s IS NULL THEN 0 ELSE 1 END),
        assess_s = assess_s - coalesce(OLD.stat_assess_s, 0),
        restore_n = restore_n - (CASE WHEN OLD.stat_restore_s IS NULL THEN 0 ELSE 1 END),
        restore_s = restore_s - coalesce(OLD.stat_restore_s, 0)
      WHERE org_id = OLD.org_id AND month = OLD.stat_month
        AND unit_id = coalesce(OLD.unit_id, 0) AND category = OLD.category
        AND severity = coalesce(OLD.severity, 0)
        AND root_group = coalesce(OLD.root_cause_group, '')
        AND state_group = incident_state_group(OLD.state)
        AND breach = OLD.stat_breach AND disrupt = OLD.stat_disrupt;
    -- an emptied row goes, so a period's range holds only what it counts
    DELETE FROM incident_month_stat WHERE org_id = OLD.org_id AND month = OLD.stat_month
      AND n = 0;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.archived = 0 AND NEW.stat_month IS NOT NULL THEN
    INSERT INTO incident_month_stat AS s (org_id, month, unit_id, category, severity,
        root_group, state_group, breach, disrupt, n, assess_n, assess_s, restore_n, restore_s)
      VALUES (NEW.org_id, NEW.stat_month, coalesce(NEW.unit_id, 0), NEW.category,
        coalesce(NEW.severity, 0), coalesce(NEW.root_cause_group, ''),
        incident_state_group(NEW.state), NEW.stat_breach, NEW.stat_disrupt, 1,
        CASE WHEN NEW.stat_assess_s IS NULL THEN 0 ELSE 1 END, coalesce(NEW.stat_assess_s, 0),
        CASE WHEN NEW.stat_restore_s IS NULL THEN 0 ELSE 1 END, coalesce(NEW.stat_restore_s, 0))
    ON CONFLICT (org_id, month, unit_id, category, severity, root_group, state_group,
        breach, disrupt) DO UPDATE SET n = s.n + 1,
      assess_n = s.assess_n + excluded.assess_n, assess_s = s.assess_s + excluded.assess_s,
      restore_n = s.restore_n + excluded.restore_n,
      restore_s = s.restore_s + excluded.restore_s;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER incident_month_stat_ins AFTER INSERT ON incident
  FOR EACH ROW WHEN (NEW.archived = 0 AND NEW.stat_month IS NOT NULL)
  EXECUTE FUNCTION incident_month_stat();
CREATE TRIGGER incident_month_stat_del AFTER DELETE ON incident
  FOR EACH ROW WHEN (OLD.archived = 0 AND OLD.stat_month IS NOT NULL)
  EXECUTE FUNCTION incident_month_stat();
-- only when something counted changed, so other edits never touch the
-- counters
CREATE TRIGGER incident_month_stat_upd AFTER UPDATE ON incident
  FOR EACH ROW WHEN (OLD.archived IS DISTINCT FROM NEW.archived
    OR OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.stat_month IS DISTINCT FROM NEW.stat_month
    OR OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.category IS DISTINCT FROM NEW.category
    OR OLD.severity IS DISTINCT FROM NEW.severity
    OR OLD.root_cause_group IS DISTINCT FROM NEW.root_cause_group
    OR OLD.state IS DISTINCT FROM NEW.state OR OLD.stat_breach IS DISTINCT FROM NEW.stat_breach
    OR OLD.stat_disrupt IS DISTINCT FROM NEW.stat_disrupt
    OR OLD.stat_assess_s IS DISTINCT FROM NEW.stat_assess_s
    OR OLD.stat_restore_s IS DISTINCT FROM NEW.stat_restore_s)
  EXECUTE FUNCTION incident_month_stat();

-- the reporting duties met on time per receiver, for a period
CREATE INDEX incident_obligation_period ON incident_obligation(org_id, archived, due_at,
  receiver, status, discharged_at);
