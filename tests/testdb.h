/* testdb.h - a fresh, empty database for every test that asks.
 *
 * The engine comes from the environment variable VARN_TEST_DB:
 *   unset, "" or "sqlite"   SQLite files in a temporary folder;
 *   postgresql://... (or a libpq "key=value" string)
 *                           that server: each database is created through
 *                           the URL's own database (normally "postgres")
 *                           and dropped again by testdb_cleanup().
 * scripts/pg-test-server.sh starts a suitable throw-away server.  On a
 * local (Unix-socket) server, databases left by test programs that died
 * (varn_test_<pid>_<n> of a pid no longer running) are dropped on first
 * use.
 *
 * Every call of testdb_url() makes a new database and returns its URL
 * (valid until testdb_cleanup()), empty and not migrated.  testdb_cleanup()
 * runs at exit by itself; calling it earlier is harmless.  On a setup
 * failure the test program stops with a "Bail out!" line.
 */
#ifndef VARN_TESTDB_H
#define VARN_TESTDB_H

const char *testdb_url(void);
/* Opens a fresh database (testdb_url()), migrated when migrate is set;
 * db_close() it when done.  Bails out on failure. */
struct db;
struct db *testdb_open(int migrate);
/* 1 when the tests run against PostgreSQL. */
int testdb_is_pg(void);
/* The PostgreSQL URL from VARN_TEST_DB, or NULL with SQLite. */
const char *testdb_pg_server(void);
/* A temporary folder for files a test writes (backups); removed at
 * cleanup. */
const char *testdb_dir(void);
void testdb_cleanup(void);

#endif
