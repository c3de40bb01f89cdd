-- 0011: the numbers behind the start page's pictures, kept as the register
-- changes so that a page view reads a handful of rows whatever the size of
-- the register (no count over it_system per request).
--
-- system_stat holds, per organisation, how many live (not archived)
-- systems have each protection level per aspect - 'k0'..'k4', 'r0'..,
-- 't0'.., 's0'.. (0: ej klassad, no level derived) - and how far their
-- information is classified: 'cov_done' (information sets, all
-- classified), 'cov_open' (at least one set not classified), 'cov_none'
-- (no information sets).  The triggers below keep it in the same
-- transaction as the write to it_system: on insert, on delete, and on an
-- update of a level, of the information counts or of archived (archive,
-- restore).  It is derived data: rebuilt from it_system (this file's
-- backfill), not backed up (struct module's derived_tables); a restore's
-- deletes and inserts of it_system run the same triggers.  A later
-- migration that rebuilds it_system (SQLite's create-copy-rename, as
-- 0005 did) drops these triggers with the old table: it must create them
-- again and rebuild system_stat as below.
CREATE TABLE system_stat (
  org_id  INTEGER NOT NULL,
  stat    TEXT NOT NULL,
  n       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, stat)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER it_system_stat_ins AFTER INSERT ON it_system
  WHEN new.archived = 0
BEGIN
  INSERT INTO system_stat (org_id, stat, n)
    SELECT new.org_id, v.column1, 1 FROM (VALUES
      ('k' || CASE WHEN new.level_k BETWEEN 1 AND 4 THEN new.level_k ELSE 0 END),
      ('r' || CASE WHEN new.level_r BETWEEN 1 AND 4 THEN new.level_r ELSE 0 END),
      ('t' || CASE WHEN new.level_t BETWEEN 1 AND 4 THEN new.level_t ELSE 0 END),
      ('s' || CASE WHEN new.level_s BETWEEN 1 AND 4 THEN new.level_s ELSE 0 END),
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
      (CASE WHEN new.infosets_total = 0 THEN 'cov_none'
            WHEN new.infosets_unclassified > 0 THEN 'cov_open' ELSE 'cov_done' END)) v
    WHERE true
  ON CONFLICT (org_id, stat) DO UPDATE SET n = system_stat.n + 1;
END;

-- the systems there are already
INSERT INTO system_stat (org_id, stat, n)
  SELECT org_id, stat, count(*) FROM (
    SELECT org_id, 'k' || CASE WHEN level_k BETWEEN 1 AND 4 THEN level_k ELSE 0 END AS stat
      FROM it_system WHERE archived = 0
    UNION ALL SELECT org_id, 'r' || CASE WHEN level_r BETWEEN 1 AND 4 THEN level_r ELSE 0 END
      FROM it_system WHERE archived = 0
    UNION ALL SELECT org_id, 't' || CASE WHEN level_t BETWEEN 1 AND 4 THEN level_t ELSE 0 END
      FROM it_system WHERE archived = 0
    UNION ALL SELECT org_id, 's' || CASE WHEN level_s BETWEEN 1 AND 4 THEN level_s ELSE 0 END
      FROM it_system WHERE archived = 0
    UNION ALL SELECT org_id, CASE WHEN infosets_total = 0 THEN 'cov_none'
        WHEN infosets_unclassified > 0 THEN 'cov_open' ELSE 'cov_done' END
      FROM it_system WHERE archived = 0) s
  GROUP BY org_id, stat;
