-- 0003 search (PostgreSQL dialect of sqlite/0003_search.sql): full-text
-- search over systems and information sets (issue 3).
--
-- An expression GIN index per register over the same `search` column that
-- SQLite's FTS5 tables index (see there): no extra column, so the tables,
-- their rows, backups and test_schema's column comparison stay identical
-- on both engines, and the index can never lag behind its row.
--
-- The expression must be written exactly so in src/core/search.c, or the
-- planner will not use the index (tests/http/test_search.c checks it):
--   - regexp_replace turns into spaces the characters that FTS5's unicode61
--     tokenizer treats as separators but PostgreSQL's parser would keep in
--     a token (e-mail addresses, host names, file paths, decimals,
--     hyphenated words, and - in the C locale, where every non-ASCII
--     character counts as a letter - Latin-1 punctuation, dashes, quotes,
--     currency signs, arrows and other symbols, emoji).  search.c splits the user's words on the same
--     set, so both engines see the same words.
--   - 'simple', not 'swedish': the Swedish configuration stems words and
--     drops stop words ("och", "för", "inte"), and FTS5 does neither, so
--     the two engines would find different records for the same words (a
--     search for "löner" finds "lön" and "lönen" in PostgreSQL only; "och"
--     finds nothing there).  Both engines instead match every word as a
--     prefix, which covers inflections ("lön" finds "löner",
--     "lönesystem") the same way on both.
CREATE INDEX it_system_fts ON it_system USING gin (to_tsvector('simple'::regconfig,
  regexp_replace(search, '[\u0001-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb\u00bf\u00d7\u00f7\u2000-\u206f\u20a0-\u20cf\u2190-\u2bff\u2e00-\u2e7f\u3000-\u303f\ufe00-\ufe0f\ufeff\ufffd\U0001f000-\U0001faff]', ' ', 'g')));
CREATE INDEX information_set_fts ON information_set USING gin (to_tsvector('simple'::regconfig,
  regexp_replace(search, '[\u0001-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb\u00bf\u00d7\u00f7\u2000-\u206f\u20a0-\u20cf\u2190-\u2bff\u2e00-\u2e7f\u3000-\u303f\ufe00-\ufe0f\ufeff\ufffd\U0001f000-\U0001faff]', ' ', 'g')));
