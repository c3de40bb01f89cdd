-- 0031 the organisation's gap numbers by area (issue 14): see
-- sqlite/0031_gap_org_stat.sql.  ON CONFLICT DO UPDATE fires the update
-- trigger, as in SQLite.
CREATE TABLE gap_org_area_stat (
  org_id     bigint NOT NULL,
  area       text COLLATE "C" NOT NULL,
  stat       text COLLATE "C" NOT NULL,
  n          bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, area, stat)
);

INSERT INTO gap_org_area_stat (org_id, area, stat, n)
  SELECT org_id, area, stat, sum(n) FROM gap_area_stat GROUP BY org_id, area, stat;

CREATE FUNCTION gap_area_stat_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE gap_org_area_stat SET n = n - OLD.n
      WHERE org_id = OLD.org_id AND area = OLD.area AND stat = OLD.stat;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO gap_org_area_stat (org_id, area, stat, n)
      VALUES (NEW.org_id, NEW.area, NEW.stat, NEW.n)
      ON CONFLICT (org_id, area, stat) DO UPDATE SET n = gap_org_area_stat.n + NEW.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER gap_area_stat_org AFTER INSERT OR UPDATE OR DELETE ON gap_area_stat
  FOR EACH ROW EXECUTE FUNCTION gap_area_stat_org();
