-- 0003 search: full-text search over systems and information sets (issue 3).
--
-- What is indexed is each record's `search` column: the text the entity
-- engine folds (utf8_fold) from the register's FF_SEARCH fields, private
-- fields left out.  So the index never holds what the list search may not
-- see, and both engines index the same lower-cased text whatever their own
-- case folding (PostgreSQL under the C locale folds ASCII only).
-- src/core/search.c builds the queries; PostgreSQL's side is pg/0003.
--
-- Two FTS5 tables, rowid = the record's id.  unicode61 without
-- remove_diacritics: å, ä and ö are letters of their own in Swedish ("mål"
-- is not "mal"); the tokenizer splits on everything but letters and digits.
--
-- Why the index is not written by triggers: Värn opens SQLite with
-- SQLITE_DBCONFIG_TRUSTED_SCHEMA off (db_sqlite.c), and FTS5 is not an
-- "innocuous" virtual table, so a trigger that writes to it fails ("unsafe
-- use of virtual table").  The triggers below therefore only note which
-- rows changed in search_queue, a plain table, and search.c brings the
-- index up to date from the queue before it searches.  That is also why
-- these are ordinary FTS5 tables holding their own copy of the text, not
-- external-content or contentless ones: catching up deletes an entry by
-- its rowid after the row's old text is gone, which only an FTS5 table
-- with its own content can do.  The copy costs a few megabytes at most.
--
-- None of this is in db_tables[]: a backup carries the registers' rows and
-- a restore's INSERTs fill the queue, so the index is rebuilt from the
-- restored rows by the first search.  test_schema.c knows these objects
-- as the engine-specific search machinery.
CREATE VIRTUAL TABLE it_system_fts USING fts5(search,
  tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE information_set_fts USING fts5(search,
  tokenize = 'unicode61 remove_diacritics 0');

-- Rows whose search text changed since the index last caught up.
CREATE TABLE search_queue (
  id      INTEGER PRIMARY KEY,
  tbl     TEXT NOT NULL,
  row_id  INTEGER NOT NULL
) STRICT;

CREATE TRIGGER it_system_search_ins AFTER INSERT ON it_system
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('it_system', new.id);
END;
CREATE TRIGGER it_system_search_upd AFTER UPDATE OF search ON it_system
  WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('it_system', new.id);
END;
CREATE TRIGGER it_system_search_del AFTER DELETE ON it_system
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('it_system', old.id);
END;

CREATE TRIGGER information_set_search_ins AFTER INSERT ON information_set
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('information_set', new.id);
END;
CREATE TRIGGER information_set_search_upd AFTER UPDATE OF search ON information_set
  WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('information_set', new.id);
END;
CREATE TRIGGER information_set_search_del AFTER DELETE ON information_set
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('information_set', old.id);
END;

-- The rows that exist already (the triggers see only what comes after).
INSERT INTO it_system_fts (rowid, search) SELECT id, search FROM it_system;
INSERT INTO information_set_fts (rowid, search) SELECT id, search FROM information_set;
