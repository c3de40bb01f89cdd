/* backup.c - sealed backups: format, keys, sealing, opening, retention and
 * the scheduled job (backup.h).
 *
 * The sealed file (format 1; all integers big-endian):
 *
 *   offset size
 *     0     8   magic "VARNSEAL"
 *     8     1   format version, 1
 *     9     1   mode: 1 key file, 2 passphrase (Argon2id)
 *    10     1   flags: bit 0 set when the file is signed; other bits zero
 *    11     1   zero
 *    12     4   chunk size: the most plain bytes in one chunk (65536)
 *    16    16   Argon2id salt (mode 2; zero for mode 1)
 *    32     8   Argon2id opslimit (mode 2; zero for mode 1)
 *    40     8   Argon2id memlimit in bytes (mode 2; zero for mode 1)
 *    48    16   key check: a value derived from the key (below), so that
 *               a wrong key or passphrase is told apart from a damaged or
 *               altered file
 *    64    24   crypto_secretstream_xchacha20poly1305 header
 *    88         chunks, each: 4 bytes plain length n (n <= chunk size),
 *               then n + 17 bytes of secretstream ciphertext whose
 *               additional data is the 88 header bytes followed by those
 *               4 length bytes.  The last chunk, and only it, is tagged
 *               FINAL; nothing follows it but, when flag bit 0 is set,
 *               the signature.  The plain text is the SQLite backup file
 *               of db/db_backup.c.
 *   end    64   (signed files only) Ed25519 signature (Ed25519ph,
 *               crypto_sign_ed25519ph) over every byte before it.
 *
 * The master key is the key file's 32 bytes (mode 1) or Argon2id of the
 * passphrase with the header's salt and costs (mode 2).  From it
 * crypto_kdf derives (context "varnbkup") subkey 1, the stream's key, and
 * subkey 2 (16 bytes), the key check.  The key check also names a key file
 * to the operator: its first 8 bytes in hexadecimal are the key id.
 *
 * What this gives: the secretstream authenticates every chunk, its order
 * (a chunk moved, dropped or repeated fails), and the end (a file cut at a
 * chunk boundary lacks the FINAL chunk); the header is bound into every
 * chunk, so a changed salt, cost, mode or signed flag fails too.  The
 * optional signature proves who made the file to someone who holds only
 * the verify key; whoever holds the sealing key could make a new,
 * unsigned file, so a restore that is given a verify key demands one.  A file is opened
 * whole, into a private temporary file, before a restore reads any of it.
 */
#include "base/base.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/arena.h"
#include "base/buf.h"
#include "core/backup.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"

int backup_fast_kdf;

#define MAGIC "VARNSEAL"
#define FORMAT 1
#define HDR 88
#define CHUNK 65536
#define ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define KDF_CONTEXT "varnbkup"
/* The most Argon2id cost a header may ask of a restore: libsodium's
 * SENSITIVE limits (a forged header must not make restore run for hours
 * or take all memory). */
#define OPS_MAX crypto_pwhash_OPSLIMIT_SENSITIVE
#define MEM_MAX crypto_pwhash_MEMLIMIT_SENSITIVE

static const char sqlite_magic[16] = "SQLite format 3";

static int bfail(struct db_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bfail(struct db_error *err, const char *fmt, ...)
{
	va_list ap;

	err->code = DBE_OTHER;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void put_be(unsigned char *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Reads up to n bytes, fewer only at the end of the file; -1 on error. */
static ssize_t read_full(int fd, void *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int write_full(int fd, const void *p, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(fd, (const char *)p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

static int fsync_dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	char dir[4096];
	int fd, rc;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == file ? 1 : (int)(slash - file), file);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* ---- keys ---- */

static void derive(const unsigned char master[32], unsigned char stream[32],
		   unsigned char check[16])
{
	crypto_kdf_derive_from_key(stream, 32, 1, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(check, 16, 2, KDF_CONTEXT, master);
}

void backup_key_id(const unsigned char key[32], char out[17])
{
	unsigned char stream[32], check[16];

	derive(key, stream, check);
	sodium_bin2hex(out, 17, check, 8);
	sodium_memzero(stream, sizeof(stream));
}

int backup_key_create(const char *path, struct db_error *err)
{
	unsigned char key[32];
	char hex[65];
	int fd;

	if (sodium_init() < 0)
		return bfail(err, "libsodium does not start");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0)
		return bfail(err, "cannot create the backup key %s: %s", path, strerror(errno));
	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	hex[64] = '\n';
	sodium_memzero(key, sizeof(key));
	if (write_full(fd, hex, 65) || fsync(fd)) {
		bfail(err, "cannot write the backup key %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		sodium_memzero(hex, sizeof(hex));
		return -1;
	}
	sodium_memzero(hex, sizeof(hex));
	close(fd);
	fsync_dir_of(path);
	return 1;
}

int backup_hex_load(const char *path, const char *what, unsigned char key[32],
		    struct db_error *err)
{
	char text[130];
	size_t len = 0;
	struct stat st;
	ssize_t n;
	int fd;

	if (sodium_init() < 0)
		return bfail(err, "libsodium does not start");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return bfail(err, "there is no %s %s", what, path);
	if (fd < 0)
		return bfail(err, "cannot read the %s %s: %s", what, path, strerror(errno));
	if (!fstat(fd, &st) && (st.st_mode & 077))
		log_warn("%s %s is readable by others; chmod 600 it", what, path);
	n = read_full(fd, text, sizeof(text) - 1);
	close(fd);
	if (n > 0)
		len = (size_t)n;
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (n < 0 || len != 64 ||
	    sodium_hex2bin(key, 32, text, len, NULL, NULL, NULL) != 0) {
		sodium_memzero(text, sizeof(text));
		return bfail(err, "the %s %s is not 64 hexadecimal digits", what,
			     path);
	}
	sodium_memzero(text, sizeof(text));
	return 0;
}

int backup_key_load(const char *path, unsigned char key[32], struct db_error *err)
{
	return backup_hex_load(path, "backup key", key, err);
}

/* The master key: the key file's, or Argon2id of the passphrase. */
static int master_key(const struct seal_secret *s, const unsigned char *salt,
		      uint64_t ops, uint64_t mem, unsigned char out[32],
		      struct db_error *err)
{
	if (s->mode == SEAL_KEY) {
		memcpy(out, s->key, 32);
		return 0;
	}
	if (crypto_pwhash(out, 32, s->pass, s->pass_len, salt, ops, (size_t)mem,
			  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return bfail(err, "not enough memory to derive the key from the "
			     "passphrase (Argon2id with %llu MiB)",
			     (unsigned long long)(mem >> 20));
	return 0;
}

/* ---- what a file is ---- */

enum backup_kind backup_sniff(const char *file)
{
	unsigned char head[16];
	struct stat st;
	ssize_t n;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return BACKUP_MISSING;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return BACKUP_MISSING;
	}
	n = read_full(fd, head, sizeof(head));
	close(fd);
	if (n == 0)
		return BACKUP_EMPTY;
	if (n >= 8 && memcmp(head, MAGIC, 8) == 0)
		return BACKUP_SEALED;
	if (n == 16 && memcmp(head, sqlite_magic, 16) == 0)
		return BACKUP_UNSEALED;
	return BACKUP_OTHER;
}

int backup_sealed_mode(const char *file)
{
	unsigned char head[10];
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read_full(fd, head, sizeof(head));
	close(fd);
	if (n != (ssize_t)sizeof(head) || memcmp(head, MAGIC, 8) != 0 ||
	    (head[9] != SEAL_KEY && head[9] != SEAL_PASSPHRASE))
		return 0;
	return head[9];
}

int backup_signed(const char *file)
{
	unsigned char head[11];
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read_full(fd, head, sizeof(head));
	close(fd);
	return n == (ssize_t)sizeof(head) && memcmp(head, MAGIC, 8) == 0 && (head[10] & 1);
}

void backup_sign_keypair(const unsigned char seed[32], unsigned char pk[32],
			 unsigned char sk[64])
{
	crypto_sign_seed_keypair(pk, sk, seed);
}

/* ---- sealing ---- */

int backup_seal_file(const char *plain, const char *out,
		     const struct seal_secret *s, struct db_error *err)
{
	crypto_secretstream_xchacha20poly1305_state st;
	crypto_sign_ed25519ph_state sign;
	unsigned char hdr[HDR], ad[HDR + 4], master[32], stream[32], check[16];
	unsigned char *cur = NULL, *nxt = NULL, *c = NULL;
	char tmp[4200];
	int in = -1, fd = -1, rc = -1;
	uint64_t ops = 0, mem = 0;
	ssize_t n;

	if (sodium_init() < 0)
		return bfail(err, "libsodium does not start");
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", out) >= (int)sizeof(tmp))
		return bfail(err, "backup file name too long");
	if (s->mode == SEAL_PASSPHRASE && s->pass_len < BACKUP_PASS_MIN)
		return bfail(err, "the passphrase is too short: at least %d characters",
			     BACKUP_PASS_MIN);
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, MAGIC, 8);
	hdr[8] = FORMAT;
	hdr[9] = (unsigned char)s->mode;
	hdr[10] = s->sign_sk ? 1 : 0;
	put_be(hdr + 12, CHUNK, 4);
	if (s->mode == SEAL_PASSPHRASE) {
		ops = backup_fast_kdf ? crypto_pwhash_OPSLIMIT_MIN
				      : crypto_pwhash_OPSLIMIT_MODERATE;
		mem = backup_fast_kdf ? crypto_pwhash_MEMLIMIT_MIN
				      : crypto_pwhash_MEMLIMIT_MODERATE;
		randombytes_buf(hdr + 16, 16);
		put_be(hdr + 32, ops, 8);
		put_be(hdr + 40, mem, 8);
	}
	if (master_key(s, hdr + 16, ops, mem, master, err))
		return -1;
	derive(master, stream, check);
	sodium_memzero(master, sizeof(master));
	memcpy(hdr + 48, check, 16);
	crypto_secretstream_xchacha20poly1305_init_push(&st, hdr + 64, stream);
	sodium_memzero(stream, sizeof(stream));
	memcpy(ad, hdr, HDR);
	crypto_sign_ed25519ph_init(&sign);

	if ((in = open(plain, O_RDONLY | O_CLOEXEC)) < 0) {
		bfail(err, "cannot read %s: %s", plain, strerror(errno));
		goto out;
	}
	unlink(tmp); /* left over from an interrupted backup */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		bfail(err, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	cur = xmalloc(CHUNK);
	nxt = xmalloc(CHUNK);
	c = xmalloc(CHUNK + ABYTES);
	if (write_full(fd, hdr, HDR))
		goto write_error;
	crypto_sign_ed25519ph_update(&sign, hdr, HDR);
	/* one chunk read ahead: the last chunk is known before it is sealed */
	n = read_full(in, cur, CHUNK);
	for (;;) {
		ssize_t m = 0;
		unsigned long long clen;
		unsigned char *swap;
		int final;

		if (n < 0)
			goto read_error;
		if (n < CHUNK) {
			final = 1;
		} else {
			m = read_full(in, nxt, CHUNK);
			if (m < 0)
				goto read_error;
			final = m == 0;
		}
		put_be(ad + HDR, (uint64_t)n, 4);
		crypto_secretstream_xchacha20poly1305_push(
			&st, c, &clen, cur, (unsigned long long)n, ad, sizeof(ad),
			final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
			      : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
		if (write_full(fd, ad + HDR, 4) || write_full(fd, c, (size_t)clen))
			goto write_error;
		crypto_sign_ed25519ph_update(&sign, ad + HDR, 4);
		crypto_sign_ed25519ph_update(&sign, c, clen);
		if (final)
			break;
		swap = cur;
		cur = nxt;
		nxt = swap;
		n = m;
	}
	if (s->sign_sk) {
		unsigned char sig[crypto_sign_BYTES];
		crypto_sign_ed25519ph_final_create(&sign, sig, NULL, s->sign_sk);
		if (write_full(fd, sig, sizeof(sig)))
			goto write_error;
	}
	if (fsync(fd) || close(fd)) {
		fd = -1;
		goto write_error;
	}
	fd = -1;
	if (rename(tmp, out) || fsync_dir_of(out))
		goto write_error;
	rc = 0;
	goto out;
read_error:
	bfail(err, "cannot read %s: %s", plain, strerror(errno));
	goto out;
write_error:
	bfail(err, "cannot write backup %s: %s", out, strerror(errno));
out:
	sodium_memzero(&st, sizeof(st));
	if (cur)
		sodium_memzero(cur, CHUNK);
	if (nxt)
		sodium_memzero(nxt, CHUNK);
	free(cur);
	free(nxt);
	free(c);
	if (in >= 0)
		close(in);
	if (fd >= 0)
		close(fd);
	if (rc)
		unlink(tmp);
	return rc;
}

/* ---- opening ---- */

static const char *mode_name(int mode)
{
	return mode == SEAL_KEY ? "a backup key file" : "a passphrase";
}

/* The header: a Värn sealed backup this Värn reads, sealed the way s
 * is.  Derives the stream key into stream. */
static int open_header(const char *in, const unsigned char *hdr, ssize_t n,
		       const struct seal_secret *s, unsigned char stream[32],
		       struct db_error *err)
{
	unsigned char master[32], check[16];
	uint64_t ops, mem;

	if (n == 0)
		return bfail(err, "backup %s is empty", in);
	if (n < 8 || memcmp(hdr, MAGIC, 8) != 0)
		return bfail(err, "%s is not a sealed Värn backup", in);
	if (n < HDR)
		return bfail(err, "backup %s is cut short: it ends inside its header "
			     "(truncated)", in);
	if (hdr[8] != FORMAT)
		return bfail(err, "backup %s has format %d, which this Värn does not "
			     "read (made by a newer Värn?)", in, hdr[8]);
	if ((hdr[9] != SEAL_KEY && hdr[9] != SEAL_PASSPHRASE) || (hdr[10] & ~1) || hdr[11] ||
	    get_be(hdr + 12, 4) != CHUNK)
		return bfail(err, "backup %s is damaged: its header is not valid", in);
	if (s->verify_pk && !(hdr[10] & 1))
		return bfail(err, "backup %s is not signed, and a verify key was given: "
			     "it was not made with the signing key (or was sealed again "
			     "without it)", in);
	if (hdr[9] != s->mode)
		return bfail(err, "backup %s was sealed with %s, not %s: give %s", in,
			     mode_name(hdr[9]), mode_name(s->mode),
			     hdr[9] == SEAL_KEY ? "the key file it was made with (--key FILE)"
						: "its passphrase (--passphrase-stdin)");
	ops = get_be(hdr + 32, 8);
	mem = get_be(hdr + 40, 8);
	if (s->mode == SEAL_PASSPHRASE &&
	    (ops < crypto_pwhash_OPSLIMIT_MIN || ops > OPS_MAX ||
	     mem < crypto_pwhash_MEMLIMIT_MIN || mem > MEM_MAX))
		return bfail(err, "backup %s is damaged: its header asks for an "
			     "Argon2id cost out of bounds", in);
	if (s->mode == SEAL_KEY && (ops || mem || !sodium_is_zero(hdr + 16, 16)))
		return bfail(err, "backup %s is damaged: its header is not valid", in);
	if (master_key(s, hdr + 16, ops, mem, master, err))
		return -1;
	derive(master, stream, check);
	sodium_memzero(master, sizeof(master));
	if (sodium_memcmp(check, hdr + 48, 16) != 0) {
		char want[17], have[17];
		sodium_memzero(stream, 32);
		if (s->mode == SEAL_PASSPHRASE)
			return bfail(err, "wrong passphrase for backup %s (or its header "
				     "was altered)", in);
		sodium_bin2hex(want, sizeof(want), hdr + 48, 8);
		sodium_bin2hex(have, sizeof(have), check, 8);
		return bfail(err, "wrong key: backup %s was sealed with the backup key "
			     "with id %s, the key given has id %s (or the backup's header "
			     "was altered)", in, want, have);
	}
	return 0;
}

int backup_open_file(const char *in, const char *plain,
		     const struct seal_secret *s, struct db_error *err)
{
	crypto_secretstream_xchacha20poly1305_state st;
	crypto_sign_ed25519ph_state sign;
	unsigned char ad[HDR + 4], stream[32], sig[crypto_sign_BYTES];
	unsigned char *c = NULL, *p = NULL;
	int fd = -1, out = -1, rc = -1, made = 0;
	struct stat sb;
	int64_t chunk = 0;
	ssize_t n;

	if (sodium_init() < 0)
		return bfail(err, "libsodium does not start");
	fd = open(in, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		bfail(err, "there is no backup file %s", in);
		goto out;
	}
	n = read_full(fd, ad, HDR);
	if (n < 0) {
		bfail(err, "cannot read %s: %s", in, strerror(errno));
		goto out;
	}
	if (open_header(in, ad, n, s, stream, err))
		goto out;
	crypto_sign_ed25519ph_init(&sign);
	crypto_sign_ed25519ph_update(&sign, ad, HDR);
	if (crypto_secretstream_xchacha20poly1305_init_pull(&st, ad + 64, stream) != 0) {
		sodium_memzero(stream, sizeof(stream));
		bfail(err, "backup %s is damaged: its stream header is not valid", in);
		goto out;
	}
	sodium_memzero(stream, sizeof(stream));
	out = open(plain, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (out < 0) {
		bfail(err, "cannot write %s: %s", plain, strerror(errno));
		goto out;
	}
	made = 1;
	c = xmalloc(CHUNK + ABYTES);
	p = xmalloc(CHUNK);
	for (;;) {
		unsigned long long plen;
		unsigned char tag;
		uint64_t len;

		chunk++;
		n = read_full(fd, ad + HDR, 4);
		if (n == 0) {
			bfail(err, "backup %s is cut short: it ends after chunk %lld "
			      "without its end mark (truncated)", in, (long long)(chunk - 1));
			goto out;
		}
		if (n < 0 || (n > 0 && n < 4)) {
			bfail(err, n < 0 ? "cannot read %s" : "backup %s is cut short in "
			      "the middle of chunk %lld (truncated)", in, (long long)chunk);
			goto out;
		}
		len = get_be(ad + HDR, 4);
		if (len > CHUNK) {
			bfail(err, "backup %s is damaged or altered: chunk %lld has an "
			      "impossible length", in, (long long)chunk);
			goto out;
		}
		n = read_full(fd, c, (size_t)len + ABYTES);
		if (n < 0) {
			bfail(err, "cannot read %s: %s", in, strerror(errno));
			goto out;
		}
		if ((size_t)n < (size_t)len + ABYTES) {
			bfail(err, "backup %s is cut short in the middle of chunk %lld "
			      "(truncated)", in, (long long)chunk);
			goto out;
		}
		crypto_sign_ed25519ph_update(&sign, ad + HDR, 4);
		crypto_sign_ed25519ph_update(&sign, c, (unsigned long long)n);
		if (crypto_secretstream_xchacha20poly1305_pull(&st, p, &plen, &tag, c,
							       (unsigned long long)n, ad,
							       sizeof(ad)) != 0) {
			bfail(err, "backup %s has been altered or damaged: chunk %lld does "
			      "not authenticate%s", in, (long long)chunk,
			      chunk == 1 ? " (or its header was changed)"
					 : " (changed, moved or taken from another backup)");
			goto out;
		}
		if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE &&
		    tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
			bfail(err, "backup %s is damaged: chunk %lld has an unknown tag",
			      in, (long long)chunk);
			goto out;
		}
		if (write_full(out, p, (size_t)plen)) {
			bfail(err, "cannot write %s: %s", plain, strerror(errno));
			goto out;
		}
		if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
			break;
	}
	if (ad[10] & 1) {
		n = read_full(fd, sig, sizeof(sig));
		if (n != (ssize_t)sizeof(sig)) {
			bfail(err, "backup %s is cut short: its signature is missing or "
			      "incomplete (truncated)", in);
			goto out;
		}
		if (s->verify_pk &&
		    crypto_sign_ed25519ph_final_verify(&sign, sig, s->verify_pk) != 0) {
			bfail(err, "backup %s: its signature does not verify with the "
			      "verify key given (signed with another key, or altered)", in);
			goto out;
		}
	}
	n = read_full(fd, c, 1);
	if (n != 0) {
		bfail(err, n < 0 ? "cannot read %s" : (ad[10] & 1)
		      ? "backup %s has data after its signature (something was appended to it)"
		      : "backup %s has data after its end mark (something was appended to it)", in);
		goto out;
	}
	if (close(out)) {
		out = -1;
		bfail(err, "cannot write %s: %s", plain, strerror(errno));
		goto out;
	}
	out = -1;
	rc = 0;
out:
	sodium_memzero(&st, sizeof(st));
	if (p)
		sodium_memzero(p, CHUNK);
	free(p);
	free(c);
	if (fd >= 0)
		close(fd);
	if (out >= 0)
		close(out);
	if (rc && made)
		unlink(plain); /* nothing of a refused backup is left */
	return rc;
}

/* ---- private temporary files ---- */

int backup_tmp_make(struct backup_tmp *t, struct db_error *err)
{
	const char *base = getenv("TMPDIR");

	if (!base || !*base)
		base = "/tmp";
	if (snprintf(t->dir, sizeof(t->dir), "%s/varn-backup.XXXXXX", base) >=
	    (int)sizeof(t->dir))
		return bfail(err, "TMPDIR is too long");
	if (!mkdtemp(t->dir)) { /* 0700 */
		int e = errno;
		t->dir[0] = 0;
		return bfail(err, "cannot make a private temporary folder in %s: %s",
			     base, strerror(e));
	}
	snprintf(t->file, sizeof(t->file), "%s/backup.sqlite", t->dir);
	return 0;
}

void backup_tmp_remove(struct backup_tmp *t)
{
	static const char *const extra[] = { "", ".tmp", ".tmp-journal",
		"-journal", "-wal", "-shm", NULL };

	if (!t->dir[0])
		return;
	for (size_t i = 0; extra[i]; i++) {
		char p[4300];
		snprintf(p, sizeof(p), "%s%s", t->file, extra[i]);
		unlink(p);
	}
	if (rmdir(t->dir))
		log_warn("cannot remove the temporary folder %s: %s", t->dir,
			 strerror(errno));
	t->dir[0] = 0;
}

/* ---- backup and restore ---- */

int backup_sealed(struct db *db, const char *const *tables, const char *file,
		  const struct seal_secret *s, struct db_error *err)
{
	struct backup_tmp t;
	int rc;

	if (s->mode == SEAL_PASSPHRASE && s->pass_len < BACKUP_PASS_MIN)
		return bfail(err, "the passphrase is too short: at least %d characters",
			     BACKUP_PASS_MIN);
	if (backup_tmp_make(&t, err))
		return -1;
	rc = db_backup(db, tables, t.file, err) || backup_seal_file(t.file, file, s, err)
		? -1 : 0;
	backup_tmp_remove(&t);
	return rc;
}

int restore_sealed(struct db *db, const char *const *tables, const char *file,
		   const struct seal_secret *s, db_restore_verify_fn *verify,
		   void *ctx, struct db_error *err)
{
	struct backup_tmp t;
	int rc;

	if (backup_tmp_make(&t, err))
		return -1;
	rc = backup_open_file(file, t.file, s, err) ||
		db_restore_verified(db, tables, t.file, verify, ctx, err) ? -1 : 0;
	backup_tmp_remove(&t);
	return rc;
}

/* ---- a folder of backups ---- */

const char *backup_name(struct arena *a, const char *dir, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	char stamp[32];

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	return arena_printf(a, "%s/" BACKUP_PREFIX "%s" BACKUP_SUFFIX, dir, stamp);
}

int backup_name_ours(const char *name)
{
	/* varn-YYYYMMDDTHHMMSSZ.varnbackup */
	size_t pl = strlen(BACKUP_PREFIX), sl = strlen(BACKUP_SUFFIX);

	if (strlen(name) != pl + 16 + sl || strncmp(name, BACKUP_PREFIX, pl) != 0 ||
	    strcmp(name + pl + 16, BACKUP_SUFFIX) != 0)
		return 0;
	for (size_t i = 0; i < 16; i++) {
		char ch = name[pl + i];
		int ok = i == 8 ? ch == 'T' : i == 15 ? ch == 'Z' : ch >= '0' && ch <= '9';
		if (!ok)
			return 0;
	}
	return 1;
}

static int newest_first(const void *a, const void *b)
{
	return strcmp(*(const char *const *)b, *(const char *const *)a);
}

int backup_prune(const char *dir, int keep, int *removed, struct db_error *err)
{
	struct arena a = ARENA_INIT;
	const char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	*removed = 0;
	if (keep < 1)
		return bfail(err, "keep at least one backup");
	if (!(d = opendir(dir)))
		return bfail(err, "cannot read the folder %s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		/* only our names, and only sealed files under them */
		if (!backup_name_ours(e->d_name) ||
		    backup_sniff(arena_printf(&a, "%s/%s", dir, e->d_name)) != BACKUP_SEALED)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = arena_strdup(&a, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), newest_first);
	for (size_t i = (size_t)keep; i < n; i++) {
		const char *p = arena_printf(&a, "%s/%s", dir, names[i]);
		if (unlink(p) && errno != ENOENT) {
			rc = bfail(err, "cannot remove the old backup %s: %s", p,
				   strerror(errno));
			break;
		}
		(*removed)++;
	}
	if (*removed)
		fsync_dir_of(arena_printf(&a, "%s/x", dir));
	free(names);
	arena_release(&a);
	return rc;
}

int backup_to_dir(struct db *db, const char *const *tables, const char *dir,
		  int keep, int64_t now, const struct seal_secret *s,
		  struct arena *a, const char **made, struct buf *summary,
		  struct db_error *err)
{
	const char *file = backup_name(a, dir, now);
	struct stat st;
	int removed = 0;

	if (made)
		*made = file;
	if (stat(file, &st) == 0)
		return bfail(err, "a backup named %s exists already", file);
	if (backup_sealed(db, tables, file, s, err))
		return -1;
	if (backup_prune(dir, keep, &removed, err)) {
		char why[sizeof(err->msg)];
		snprintf(why, sizeof(why), "%s", err->msg);
		return bfail(err, "%s was written, but %s", file, why);
	}
	if (summary)
		buf_printf(summary, "%s written, %d older removed (%d kept)",
			   strrchr(file, '/') + 1, removed, keep);
	return 0;
}

/* ---- the scheduled job ---- */

static struct {
	const char *dir, *key_file;
	int keep;
} sched;

static int backup_job_run(struct ctx *cx, int64_t period_start, struct buf *summary,
			  struct db_error *err)
{
	struct seal_secret s = { .mode = SEAL_KEY };
	int rc;

	(void)period_start;
	if (backup_key_load(sched.key_file, s.key, err))
		return -1;
	rc = backup_to_dir(cx->db, module_tables(), sched.dir, sched.keep, cx->now, &s,
			   cx->a, NULL, summary, err);
	sodium_memzero(s.key, sizeof(s.key));
	if (rc)
		log_warn("scheduled backup into %s failed: %s", sched.dir, err->msg);
	else
		log_info("scheduled backup: %s", summary->p);
	return rc;
}

static struct job backup_jobs[2];

const struct job *backup_job(const char *dir, int hours, int keep,
			     const char *key_file)
{
	sched.dir = dir;
	sched.key_file = key_file;
	sched.keep = keep;
	/* A backup of a large database can take longer than the scheduler's
	 * 15 minutes: until the period is over no other server takes it for
	 * dead and writes a second one (one that did die is not tried again
	 * before the next period). */
	backup_jobs[0] = (struct job){ "backup", hours * 3600, M_JOB_BACKUP, backup_job_run,
				       hours * 3600 };
	return backup_jobs;
}
