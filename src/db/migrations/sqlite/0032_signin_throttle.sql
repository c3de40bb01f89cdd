-- 0032 the sign-in throttle shared by every server (issue 14, scale-out).
-- Failed passwords and two-step codes were counted in each process's
-- memory, so N `varn serve` processes behind a load balancer gave an
-- attacker N times the attempts.  A row per account or client address
-- (throttle_key: a keyed hash made with the server key, never the address
-- itself) holds the failures in the current window and the time before
-- which no attempt is taken; every process reads and counts here.
CREATE TABLE signin_failure (
  id            INTEGER PRIMARY KEY,
  throttle_key  TEXT NOT NULL UNIQUE,
  fails         INTEGER NOT NULL,
  last_at       INTEGER NOT NULL,
  until_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX signin_failure_last ON signin_failure(last_at);
