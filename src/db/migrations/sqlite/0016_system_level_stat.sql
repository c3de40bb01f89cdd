-- 0016: systems by protection level, for the coordinator's overview
-- (issue 10): system_stat (0011) also counts, per organisation, the live
-- systems by their highest level over the four aspects - 'p0'..'p4', the
-- list's level_max - and those no classification gives a level yet ('pn').
-- (Unlike 'k0'..'s0', 'p0' is level 0 only: the overview tells a system of
-- negligible consequence from one nobody has classified.)  The triggers of 0011 are made
-- again with the new key (SQLite cannot alter a trigger); the keys they
-- already kept do not change, and the new ones are filled from it_system.
-- A later migration that rebuilds it_system must create these triggers
-- (this file's, not 0011's) again.
DROP TRIGGER it_system_stat_ins;
DROP TRIGGER it_system_stat_del;
DROP TRIGGER it_system_stat_upd_out;
DROP TRIGGER it_system_stat_upd_in;

CREATE TRIGGER it_system_stat_ins AFTER INSERT ON it_system
  WHEN new.archived = 0
BEGIN
  INSERT INTO system_stat (org_id, stat, n)
    SELECT new.org_id, v.column1, 1 FROM (VALUES
      ('k' || CASE WHEN new.level_k BETWEEN 1 AND 4 THEN new.level_k ELSE 0 END),
      ('r' || CASE WHEN new.level_r BETWEEN 1 AND 4 THEN new.level_r ELSE 0 END),
      ('t' || CASE WHEN new.level_t BETWEEN 1 AND 4 THEN new.level_t ELSE 0 END),
      ('s' || CASE WHEN new.level_s BETWEEN 1 AND 4 THEN new.level_s ELSE 0 END),
      ('p' || COALESCE((SELECT max(v) FROM (SELECT new.level_k AS v UNION ALL SELECT new.level_r
        UNION ALL SELECT new.level_t UNION ALL SELECT new.level_s) WHERE v BETWEEN 0 AND 4), 'n')),
      (CASE WHEN new.infosets_total = 0 THEN 'cov_none'
            WHEN new.infosets_unclassified > 0 THEN 'cov_open' ELSE 'cov_done' END)) v
    WHERE true
  ON CONFLICT (org_id, stat) DO UPDATE SET n = system_stat.n + 1;
END;

CREATE TRIGGER it_system_stat_del AFTER DELETE ON it_system
  WHEN old.archived = 0
BEGIN
  UPDATE system_stat SET n = n - 1 WHERE org_id = old.org_id AND stat IN (
    'k' || CASE WHEN old.level_k BETWEEN 1 AND 4 THEN old.level_k ELSE 0 END,
    'r' || CASE WHEN old.level_r BETWEEN 1 AND 4 THEN old.level_r ELSE 0 END,
    't' || CASE WHEN old.level_t BETWEEN 1 AND 4 THEN old.level_t ELSE 0 END,
    's' || CASE WHEN old.level_s BETWEEN 1 AND 4 THEN old.level_s ELSE 0 END,
    'p' || COALESCE((SELECT max(v) FROM (SELECT old.level_k AS v UNION ALL SELECT old.level_r
      UNION ALL SELECT old.level_t UNION ALL SELECT old.level_s) WHERE v BETWEEN 0 AND 4), 'n'),
    CASE WHEN old.infosets_total = 0 THEN 'cov_none'
         WHEN old.infosets_unclassified > 0 THEN 'cov_open' ELSE 'cov_done' END);
END;

-- an update is the old row out and the new row in; only when something
-- counted changed, so that other edits never touch the counters
CREATE TRIGGER it_system_stat_upd_out AFTER UPDATE ON it_system
  WHEN old.archived = 0 AND (new.archived <> 0 OR new.org_id <> old.org_id
    OR new.level_k IS NOT old.level_k OR new.level_r IS NOT old.level_r
    OR new.level_t IS NOT old.level_t OR new.level_s IS NOT old.level_s
    OR new.infosets_total <> old.infosets_total
    OR new.infosets_unclassified <> old.infosets_unclassified)
BEGIN
  UPDATE system_stat SET n = n - 1 WHERE org_id = old.org_id AND stat IN (
    'k' || CASE WHEN old.level_k BETWEEN 1 AND 4 THEN old.level_k ELSE 0 END,
    'r' || CASE WHEN old.level_r BETWEEN 1 AND 4 THEN old.level_r ELSE 0 END,
    't' || CASE WHEN old.level_t BETWEEN 1 AND 4 THEN old.level_t ELSE 0 END,
    's' || CASE WHEN old.level_s BETWEEN 1 AND 4 THEN old.level_s ELSE 0 END,
    'p' || COALESCE((SELECT max(v) FROM (SELECT old.level_k AS v UNION ALL SELECT old.level_r
      UNION ALL SELECT old.level_t UNION ALL SELECT old.level_s) WHERE v BETWEEN 0 AND 4), 'n'),
    CASE WHEN old.infosets_total = 0 THEN 'cov_none'
         WHEN old.infosets_unclassified > 0 THEN 'cov_open' ELSE 'cov_done' END);
END;

CREATE TRIGGER it_system_stat_upd_in AFTER UPDATE ON it_system
  WHEN new.archived = 0 AND (old.archived <> 0 OR new.org_id <> old.org_id
    OR new.level_k IS NOT old.level_k OR new.level_r IS NOT old.level_r
    OR new.level_t IS NOT old.level_t OR new.level_s IS NOT old.level_s
    OR new.infosets_total <> old.infosets_total
    OR new.infosets_unclassified <> old.infosets_unclassified)
BEGIN
  INSERT INTO system_stat (org_id, stat, n)
    SELECT new.org_id, v.column1, 1 FROM (VALUES
      ('k' || CASE WHEN new.level_k BETWEEN 1 AND 4 THEN new.level_k ELSE 0 END),
      ('r' || CASE WHEN new.level_r BETWEEN 1 AND 4 THEN new.level_r ELSE 0 END),
      ('t' || CASE WHEN new.level_t BETWEEN 1 AND 4 THEN new.level_t ELSE 0 END),
      ('s' || CASE WHEN new.level_s BETWEEN 1 AND 4 THEN new.level_s ELSE 0 END),
      ('p' || COALESCE((SELECT max(v) FROM (SELECT new.level_k AS v UNION ALL SELECT new.level_r
        UNION ALL SELECT new.level_t UNION ALL SELECT new.level_s) WHERE v BETWEEN 0 AND 4), 'n')),
      (CASE WHEN new.infosets_total = 0 THEN 'cov_none'
            WHEN new.infosets_unclassified > 0 THEN 'cov_open' ELSE 'cov_done' END)) v
    WHERE true
  ON CONFLICT (org_id, stat) DO UPDATE SET n = system_stat.n + 1;
END;

INSERT INTO system_stat (org_id, stat, n)
  SELECT org_id, 'p' || COALESCE((SELECT max(v) FROM (SELECT s.level_k AS v UNION ALL SELECT s.level_r
      UNION ALL SELECT s.level_t UNION ALL SELECT s.level_s) WHERE v BETWEEN 0 AND 4), 'n') AS stat, count(*)
    FROM it_system s WHERE archived = 0 GROUP BY org_id, stat;
