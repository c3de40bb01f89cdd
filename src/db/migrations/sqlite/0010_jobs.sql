-- 0010 scheduled work (core/scheduler.c, issue 8).
--
-- One row per job and period.  Inserting it is the lease: UNIQUE(job,
-- period_start) lets exactly one process of any number (several `varn
-- serve` on one PostgreSQL database, a `varn jobs run` from cron) claim
-- the period; the others see the row and do nothing.  A run whose process
-- died (outcome 'running', lease_until passed) and a failed run whose
-- back-off has passed (next_try_at) are claimed again by a conditional
-- UPDATE, at most a few attempts per period.  Runs are installation-wide:
-- runner names the process (host:pid), summary and error are for the
-- operator (varn jobs list), never shown to an organisation.
CREATE TABLE job_run (
  id            INTEGER PRIMARY KEY,
  job           TEXT NOT NULL,
  period_start  INTEGER NOT NULL,
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER,
  lease_until   INTEGER NOT NULL,
  outcome       TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed')),
  attempts      INTEGER NOT NULL DEFAULT 1,
  next_try_at   INTEGER,
  summary       TEXT,
  error         TEXT,
  runner        TEXT NOT NULL,
  UNIQUE (job, period_start)
) STRICT;
-- the jobs page: a job's runs newest first (keyset on period_start)
CREATE INDEX job_run_job_period ON job_run(job, period_start DESC);

-- What a run did for one organisation (scheduler_note()): the only part of
-- a run an organisation's administrators see.
CREATE TABLE job_run_org (
  id      INTEGER PRIMARY KEY,
  run_id  INTEGER NOT NULL REFERENCES job_run(id),
  org_id  INTEGER NOT NULL REFERENCES organisation(id),
  line    TEXT NOT NULL
) STRICT;
CREATE INDEX job_run_org_run ON job_run_org(run_id, org_id, id);
