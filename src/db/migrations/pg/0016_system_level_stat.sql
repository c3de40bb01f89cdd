-- 0016: systems by protection level, for the coordinator's overview
-- (issue 10): system_stat (0011) also counts, per organisation, the live
-- systems by their highest level over the four aspects - 'p0'..'p4', the
-- list's level_max - and those no classification gives a level yet ('pn').  The trigger of 0011 takes
-- its keys from system_stat_keys, so the function gains the key and the
-- new rows are filled from it_system.
CREATE OR REPLACE FUNCTION system_stat_keys(s it_system) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY[
    'k' || CASE WHEN s.level_k BETWEEN 1 AND 4 THEN s.level_k ELSE 0 END,
    'r' || CASE WHEN s.level_r BETWEEN 1 AND 4 THEN s.level_r ELSE 0 END,
    't' || CASE WHEN s.level_t BETWEEN 1 AND 4 THEN s.level_t ELSE 0 END,
    's' || CASE WHEN s.level_s BETWEEN 1 AND 4 THEN s.level_s ELSE 0 END,
    'p' || COALESCE((SELECT max(v) FROM unnest(ARRAY[s.level_k, s.level_r, s.level_t, s.level_s]) v
                     WHERE v BETWEEN 0 AND 4)::text, 'n'),
    CASE WHEN s.infosets_total = 0 THEN 'cov_none'
         WHEN s.infosets_unclassified > 0 THEN 'cov_open' ELSE 'cov_done' END]
$$;

INSERT INTO system_stat (org_id, stat, n)
  SELECT s.org_id, k, count(*) FROM it_system s, unnest(system_stat_keys(s)) k
  WHERE s.archived = 0 AND k LIKE 'p%' GROUP BY s.org_id, k;
