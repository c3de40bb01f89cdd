-- 0004 start page at scale (issue 6, item 6): an index for each of the
-- modules' start-page queries (src/modules/*/module.c, waiting[] and
-- overview[]) that had none, so that each is bounded by its LIMIT and the
-- rows it asks for, not by the size of the register.  Before, at 20,000
-- systems, "systems to review" and "systems without an owner" walked the
-- organisation's whole name index (10 and 16 ms a start page).
--
-- Partial indexes hold only the rows a question asks about (a few), so
-- they cost little to keep.  Their leading columns repeat the equalities
-- of the query (org_id, archived, the flag): without statistics SQLite's
-- planner prefers the index with more equality columns, and would
-- otherwise take the organisation's name index (org_id, archived, ...).
-- The overview lines and the recent events (audit_event_org_at) already
-- had theirs.  Same indexes in pg/0004_start_page.sql.
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

-- SQLite's search machinery (0003_search.sql), as it works from here on:
-- searches only read the FTS5 tables.  The engine keeps them current at
-- write time: inside each write's transaction, core/search.c's
-- search_index_record takes the row off search_queue (where the triggers
-- put it when its search text is new or changed) and replaces its entry.
-- What bypasses the engine is caught up elsewhere: a restore rebuilds the
-- index from the restored rows (db_backup.c), and the server catches up
-- the queue once at start-up (a migration's writes, a queue left by an
-- older version).  The queue is looked up by table and row here.
CREATE INDEX search_queue_row ON search_queue (tbl, row_id);
