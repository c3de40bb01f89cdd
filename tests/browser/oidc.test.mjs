// oidc.test.mjs - signing in with the municipality's account through
// OpenID Connect (issue 13), in Debian's chromium: a provider on loopback
// (node's http and crypto: discovery, keys, an authorization endpoint that
// signs the coordinator in at once, a token endpoint that checks the PKCE
// verifier and signs an RS256 ID token), an OpenID Connect source of
// Exempelstad written into the demo database, and `varn serve`.  The
// sign-in page offers "Logga in med Exempelstad Entra ID"; following it
// signs in without a password; signing out ends Värn's session; a way back
// Värn did not start, and a provider that is down, give clear Swedish
// pages.  axe (WCAG 2.0/2.1 A and AA) on the sign-in page and the error
// pages at 1280 and 390 px, no serious or critical finding, no sideways
// scrolling at 390 px.  TAP on stdout.
//
//   VARN=build/varn node tests/browser/oidc.test.mjs
//   OIDC_SHOTS=/tmp/oidc-shots VARN=build/varn node tests/browser/oidc.test.mjs
// covers R-17-02 R-17-03
import crypto from 'node:crypto';
import http from 'node:http';
import { spawn, spawnSync } from 'node:child_process';

let AxeBuilder, lib;
try {
	({ AxeBuilder } = await import('@axe-core/playwright'));
	lib = await import('./lib.mjs');
} catch (e) {
	console.log('not ok 1 - the browser-test packages are installed (scripts/install-deps.sh test, or npm ci in tests/browser)');
	console.log(`#   ${e.message.split('\n')[0]}`);
	console.log('1..1');
	process.exit(1);
}
const {
	Tap, WAIT_MS, activate, freePort, initDemo, launchBrowser, makeTemp, newContext,
	urlPath, varnPath,
} = lib;

const RUN_LIMIT_MS = 150000;
const SHOTS = process.env.OIDC_SHOTS || '';
const CLIENT = 'varn-exempelstad';

const tap = new Tap();
const tmp = makeTemp('varn-oidc-');
let server = null;
let browser = null;
let provider = null;
const shot = lib.shooter(SHOTS);

/* ---- the provider ---- */

const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
const b64u = (b) => Buffer.from(b).toString('base64url');
function signJwt(claims) {
	const head = b64u(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }));
	const body = b64u(JSON.stringify(claims));
	const sig = crypto.sign('sha256', Buffer.from(`${head}.${body}`), privateKey);
	return `${head}.${body}.${b64u(sig)}`;
}

function startProvider(user) {
	const codes = new Map();
	const seen = { token: 0 };
	const srv = http.createServer((req, res) => {
		const u = new URL(req.url, 'http://x');
		const issuer = `http://127.0.0.1:${srv.address().port}`;
		const json = (status, o) => {
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(o));
		};
		if (u.pathname === '/.well-known/openid-configuration')
			return json(200, {
				issuer, authorization_endpoint: `${issuer}/authorize`,
				token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
				response_types_supported: ['code'], id_token_signing_alg_values_supported: ['RS256'],
			});
		if (u.pathname === '/jwks') return json(200, { keys: [jwk] });
		if (u.pathname === '/authorize') {
			const q = u.searchParams;
			if (q.get('client_id') !== CLIENT || q.get('code_challenge_method') !== 'S256') return json(400, { error: 'invalid_request' });
			const code = b64u(crypto.randomBytes(18));
			codes.set(code, { nonce: q.get('nonce'), challenge: q.get('code_challenge'), redirect: q.get('redirect_uri') });
			res.writeHead(302, { Location: `${q.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(q.get('state'))}` });
			return res.end();
		}
		if (u.pathname === '/token' && req.method === 'POST') {
			let data = '';
			req.on('data', (d) => { data += d; });
			req.on('end', () => {
				seen.token++;
				const f = new URLSearchParams(data);
				const c = codes.get(f.get('code'));
				codes.delete(f.get('code'));
				const challenge = b64u(crypto.createHash('sha256').update(f.get('code_verifier') || '').digest());
				if (!c || c.redirect !== f.get('redirect_uri') || c.challenge !== challenge)
					return json(400, { error: 'invalid_grant' });
				const now = Math.floor(Date.now() / 1000);
				return json(200, {
					access_token: 'unused', token_type: 'Bearer',
					id_token: signJwt({ iss: issuer, aud: CLIENT, sub: 'coord-1', iat: now, exp: now + 300,
						nonce: c.nonce, email: user.email, name: user.name, groups: ['g-coordinators'] }),
				});
			});
			return undefined;
		}
		res.writeHead(404);
		return res.end();
	});
	return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ srv, seen,
		issuer: `http://127.0.0.1:${srv.address().port}` })));
}

/* ---- Värn ---- */

function sql(db, text) {
	const r = spawnSync('sqlite3', [db.replace(/^sqlite:/, ''), text], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
	return r.stdout.trim();
}

/* An OpenID Connect source of Exempelstad, written as the settings page
 * would (no client secret: this provider asks for none). */
function addSource(db, name, issuer, mfa) {
	const cfg = JSON.stringify({ issuer, client_id: CLIENT, provider_mfa: mfa ? '1' : '0' });
	return sql(db, `INSERT INTO identity_source (org_id, kind, name, name_sk, enabled, default_role,
		config, created_at, updated_at) SELECT id, 'oidc', '${name}', lower('${name}'), 1, NULL,
		'${cfg}', 0, 0 FROM organisation WHERE slug = 'exempelstad' RETURNING id`);
}

/* `varn serve` on a port of our own: the redirect address is made from
 * the server's base URL, which --listen 127.0.0.1:0 leaves unknown. */
async function serve(varn, db) {
	const port = await freePort();
	const proc = spawn(varn, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
		{ stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	await new Promise((resolve, reject) => {
		const t = setTimeout(() => reject(new Error(`no "serving on" line: ${out}`)), WAIT_MS);
		proc.stdout.on('data', (d) => {
			out += d;
			if (/serving on/.test(out)) { clearTimeout(t); resolve(); }
		});
		proc.stderr.on('data', (d) => { out += d; });
		proc.once('exit', (c) => { clearTimeout(t); reject(new Error(`varn serve exited (${c}): ${out}`)); });
	});
	return {
		proc, base: `http://127.0.0.1:${port}`,
		async stop() { proc.kill('SIGTERM'); await new Promise((r) => { proc.once('exit', r); setTimeout(r, WAIT_MS).unref(); }); },
	};
}

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	provider = await startProvider({ email: demo.coordinator, name: 'Samordnaren' });
	const id = addSource(demo.db, 'Exempelstad Entra ID', provider.issuer, true);
	const down = addSource(demo.db, 'Reservtjänsten', 'http://127.0.0.1:9', false);
	server = await serve(varn, demo.db);
	browser = await launchBrowser(tmp);
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();

	const g = tap.group('coordinator');
	await g.step('the sign-in page offers "Logga in med Exempelstad Entra ID"', async () => {
		await page.goto('/logga-in');
		return (await page.getByRole('link', { name: 'Logga in med Exempelstad Entra ID' }).count()) === 1;
	});
	await lib.checkWidths(tap, AxeBuilder, page, 'sign-in page with a provider', shot);
	await g.step('following it signs in at the provider and comes back signed in', async () => {
		await activate(page.getByRole('link', { name: 'Logga in med Exempelstad Entra ID' }));
		await page.waitForURL((u) => !u.pathname.startsWith('/logga-in'), { timeout: WAIT_MS });
		const t = await page.locator('header').innerText();
		return /Samordnaren|Logga ut/.test(t) || { fail: `header: ${t}` };
	});
	await g.step('the code was exchanged once, with the PKCE verifier', async () =>
		provider.seen.token === 1 || { fail: `token requests: ${provider.seen.token}` });
	await g.step('signing out ends the session', async () => {
		await activate(page.getByRole('button', { name: 'Logga ut' }).first());
		await page.waitForURL(/\/logga-in\?utloggad=1$/, { timeout: WAIT_MS });
		await page.goto('/konto');
		return (await urlPath(page)).startsWith('/logga-in') || { fail: await urlPath(page) };
	});
	await tap.check('the trail has the sign-in with the source\'s name', async () => {
		const n = sql(demo.db, "SELECT count(*) FROM audit_event WHERE action = 'signin' AND summary = 'Exempelstad Entra ID'");
		return n === '1' || { fail: `signin events: ${n}` };
	});

	await tap.check('a way back Värn did not start is a clear page', async () => {
		await page.goto(`/logga-in/extern/svar?code=x&state=${'A'.repeat(43)}`);
		const t = await page.locator('main').innerText();
		return /Inloggningen har gått ut, har redan använts/.test(t) || { fail: t };
	});
	await lib.checkWidths(tap, AxeBuilder, page, 'sign-in refused', shot);
	await tap.check('a provider that is down is a clear page', async () => {
		await page.goto(`/logga-in/extern/${down}`);
		const t = await page.locator('main').innerText();
		return /Inloggningstjänsten Reservtjänsten svarar inte just nu/.test(t) || { fail: t };
	});
	await lib.checkWidths(tap, AxeBuilder, page, 'provider down', shot);
	await tap.check('the source id is a number', async () => Number(id) > 0);
	await ctx.close();
}

await lib.runTest(tap, 'the OpenID Connect test', RUN_LIMIT_MS, main, () => ({
	server, browser, tmp, procs: [],
}));
provider?.srv.close();
