-- 0006 classification: an aspect not analysed (R-3-04, issue 7;
-- PostgreSQL dialect of sqlite/0006_classification_not_analysed.sql, which
-- says why).  A level left NULL means "inte analyserad", never level 0.
ALTER TABLE classification ALTER COLUMN level_k DROP NOT NULL;
ALTER TABLE classification ALTER COLUMN level_r DROP NOT NULL;
ALTER TABLE classification ALTER COLUMN level_t DROP NOT NULL;
ALTER TABLE classification ALTER COLUMN level_s DROP NOT NULL;
