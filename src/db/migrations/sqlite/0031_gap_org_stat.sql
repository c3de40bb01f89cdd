-- 0031 the organisation's gap numbers by area (issue 14).  The start
-- page's picture of coverage by area summed gap_area_stat's rows, one per
-- unit, area, level and status: its cost grew with the units.  This table
-- keeps those sums per organisation, area and status, from gap_area_stat's
-- own changes (an upsert's update fires the update trigger), so the
-- picture reads at most 14 areas x 6 statuses by key.  Derived: not backed
-- up, rebuilt when measure_assessment is restored.
CREATE TABLE gap_org_area_stat (
  org_id     INTEGER NOT NULL,
  area       TEXT NOT NULL,
  stat       TEXT NOT NULL,
  n          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, area, stat)
) STRICT, WITHOUT ROWID;

INSERT INTO gap_org_area_stat (org_id, area, stat, n)
  SELECT org_id, area, stat, sum(n) FROM gap_area_stat GROUP BY org_id, area, stat;

CREATE TRIGGER gap_area_stat_org_ins AFTER INSERT ON gap_area_stat
BEGIN
  INSERT INTO gap_org_area_stat (org_id, area, stat, n)
    VALUES (new.org_id, new.area, new.stat, new.n)
  ON CONFLICT (org_id, area, stat) DO UPDATE SET n = gap_org_area_stat.n + new.n;
END;

CREATE TRIGGER gap_area_stat_org_upd AFTER UPDATE ON gap_area_stat
BEGIN
  UPDATE gap_org_area_stat SET n = n - old.n
    WHERE org_id = old.org_id AND area = old.area AND stat = old.stat;
  INSERT INTO gap_org_area_stat (org_id, area, stat, n)
    VALUES (new.org_id, new.area, new.stat, new.n)
  ON CONFLICT (org_id, area, stat) DO UPDATE SET n = gap_org_area_stat.n + new.n;
END;

CREATE TRIGGER gap_area_stat_org_del AFTER DELETE ON gap_area_stat
BEGIN
  UPDATE gap_org_area_stat SET n = n - old.n
    WHERE org_id = old.org_id AND area = old.area AND stat = old.stat;
END;
