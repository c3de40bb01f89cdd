-- 0004 start page at scale (PostgreSQL dialect of sqlite/0004_start_page.sql,
-- which says why): an index for each of the modules' start-page queries
-- that had none.
-- Systems: "to review" (the owner's and the organisation's) and "without
-- an owner".
CREATE INDEX it_system_review ON it_system (org_id, archived, needs_review, owner_id)
  WHERE needs_review = 1;
CREATE INDEX it_system_no_owner ON it_system (org_id, archived, owner_id)
  WHERE owner_id IS NULL;

-- Information sets: "not classified" (the owner's and the organisation's),
-- the owner's "review overdue" (the organisation's is information_set_review
-- of 0002) and "outside the baseline" (a level 4).
CREATE INDEX information_set_unclassified ON information_set
  (org_id, archived, classified_on, owner_id) WHERE classified_on IS NULL;
CREATE INDEX information_set_owner_review ON information_set
  (org_id, archived, owner_id, review_on);
CREATE INDEX information_set_level4 ON information_set (org_id, archived)
  WHERE level_k >= 4 OR level_r >= 4 OR level_t >= 4 OR level_s >= 4;

-- People: "employment ended but still has roles", "without a unit".
CREATE INDEX person_ended ON person (org_id, archived, employment)
  WHERE employment = 'ended';
CREATE INDEX person_no_unit ON person (org_id, archived, unit_id)
  WHERE unit_id IS NULL;
