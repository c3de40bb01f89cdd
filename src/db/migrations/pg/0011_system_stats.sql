-- 0011: the numbers behind the start page's pictures (see the SQLite
-- twin for what they are): per organisation, live systems per level and
-- aspect ('k0'..'s4', 0 = ej klassad) and by how far their information is
-- classified ('cov_done', 'cov_open', 'cov_none'), kept by a trigger in
-- the same transaction as the write to it_system.  Derived, not backed up.
CREATE TABLE system_stat (
  org_id  bigint NOT NULL,
  stat    text COLLATE "C" NOT NULL,
  n       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, stat)
);

CREATE FUNCTION system_stat_keys(s it_system) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY[
    'k' || CASE WHEN s.level_k BETWEEN 1 AND 4 THEN s.level_k ELSE 0 END,
    'r' || CASE WHEN s.level_r BETWEEN 1 AND 4 THEN s.level_r ELSE 0 END,
    't' || CASE WHEN s.level_t BETWEEN 1 AND 4 THEN s.level_t ELSE 0 END,
    's' || CASE WHEN s.level_s BETWEEN 1 AND 4 THEN s.level_s ELSE 0 END,
    CASE WHEN s.infosets_total = 0 THEN 'cov_none'
         WHEN s.infosets_unclassified > 0 THEN 'cov_open' ELSE 'cov_done' END]
$$;

CREATE FUNCTION it_system_stat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.archived = 0 THEN
    UPDATE system_stat SET n = n - 1
      WHERE org_id = OLD.org_id AND stat = ANY (system_stat_keys(OLD));
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.archived = 0 THEN
    INSERT INTO system_stat (org_id, stat, n)
      SELECT NEW.org_id, k, 1 FROM unnest(system_stat_keys(NEW)) k
      ON CONFLICT (org_id, stat) DO UPDATE SET n = system_stat.n + 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER it_system_stat_ins AFTER INSERT ON it_system
  FOR EACH ROW WHEN (NEW.archived = 0) EXECUTE FUNCTION it_system_stat();
CREATE TRIGGER it_system_stat_del AFTER DELETE ON it_system
  FOR EACH ROW WHEN (OLD.archived = 0) EXECUTE FUNCTION it_system_stat();
-- only when something counted changed, so other edits never touch the
-- counters
CREATE TRIGGER it_system_stat_upd AFTER UPDATE ON it_system
  FOR EACH ROW WHEN (OLD.archived IS DISTINCT FROM NEW.archived
    OR OLD.org_id IS DISTINCT FROM NEW.org_id
    OR OLD.level_k IS DISTINCT FROM NEW.level_k OR OLD.level_r IS DISTINCT FROM NEW.level_r
    OR OLD.level_t IS DISTINCT FROM NEW.level_t OR OLD.level_s IS DISTINCT FROM NEW.level_s
    OR OLD.infosets_total IS DISTINCT FROM NEW.infosets_total
    OR OLD.infosets_unclassified IS DISTINCT FROM NEW.infosets_unclassified)
  EXECUTE FUNCTION it_system_stat();

INSERT INTO system_stat (org_id, stat, n)
  SELECT s.org_id, k, count(*) FROM it_system s, unnest(system_stat_keys(s)) k
  WHERE s.archived = 0 GROUP BY s.org_id, k;
