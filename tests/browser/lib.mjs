// lib.mjs - what run.mjs and screenshots.mjs share: a temporary demo
// database, the server on a free port, Debian's chromium through
// playwright-core, TAP output, and a few helpers that act like a person
// (find fields by their label, activate links and buttons by keyboard).
//
// Nothing here downloads a browser: chromium is /usr/bin/chromium from
// Debian, and the npm packages are installed with
// PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const WAIT_MS = 15000; // every wait in the tests is bounded by this
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// The demo logins, used when they cannot be read from `varn init --demo`.
export const KNOWN = {
	coordinator: 'samordnare@exempelstad.se',
	admin: 'admin@exempelstad.se',
	user: 'anvandare@exempelstad.se',
	password: 'demo-Exempelstad-2026',
	org: 'exempelstad',
	orgName: 'Exempelstads kommun',
};

export function makeTemp(prefix = 'varn-browser-') {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTemp(dir) {
	try {
		fs.rmSync(dir, { recursive: true, force: true });
	} catch {
		/* best effort */
	}
}

export function varnPath() {
	const v = process.env.VARN || 'build/varn';
	return path.resolve(v);
}

/* `varn init --db sqlite:DIR/demo.db --demo`; returns the logins it printed
 * (falling back to the known ones for anything it did not print). */
export function initDemo(varn, dir) {
	const db = `sqlite:${path.join(dir, 'demo.db')}`;
	const r = spawnSync(varn, ['init', '--db', db, '--demo'], {
		encoding: 'utf8',
		timeout: 60000,
	});
	if (r.error || r.status !== 0)
		throw new Error(`varn init --demo failed (${r.error ? r.error.message : 'status ' + r.status}):\n${r.stdout}\n${r.stderr}`);
	const logins = { ...KNOWN, db, initOutput: r.stdout };
	const pw = r.stdout.match(/password\s+(\S+?)\)?:/);
	if (pw) logins.password = pw[1];
	for (const line of r.stdout.split('\n')) {
		const m = line.match(/^\s+(\S+@\S+)\s+(.*)$/);
		if (!m) continue;
		const [, email, where] = m;
		if (/\bsamordnare in exempelstad\b/.test(where)) logins.coordinator = email;
		else if (/^administrator in exempelstad$/.test(where.trim())) logins.admin = email;
		else if (/^anvandare in exempelstad$/.test(where.trim())) logins.user = email;
	}
	return logins;
}

export function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

/* Starts `varn serve` on a free port.  With --listen 127.0.0.1:0 the server
 * picks the port and prints "varn: serving on http://127.0.0.1:PORT"; if that
 * is refused, we pick a free port ourselves and wait for the same line. */
export async function startServer(varn, db) {
	try {
		return await startServerOn(varn, db, '127.0.0.1:0');
	} catch (e) {
		const port = await freePort();
		const s = await startServerOn(varn, db, `127.0.0.1:${port}`);
		s.note = `--listen 127.0.0.1:0 failed (${e.message.split('\n')[0]}); used port ${port}`;
		return s;
	}
}

function startServerOn(varn, db, listen) {
	return new Promise((resolve, reject) => {
		const proc = spawn(varn, ['serve', '--db', db, '--listen', listen], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		let done = false;
		const timer = setTimeout(() => finish(new Error(`no "serving on" line within ${WAIT_MS} ms`)), WAIT_MS);
		function finish(e, base) {
			if (done) return;
			done = true;
			clearTimeout(timer);
			if (e) {
				proc.kill('SIGKILL');
				reject(new Error(`${e.message}\nstdout: ${out}\nstderr: ${err}`));
				return;
			}
			const exited = new Promise((res) => {
				if (proc.exitCode !== null || proc.signalCode !== null) res({ code: proc.exitCode, signal: proc.signalCode });
				else proc.once('exit', (code, signal) => res({ code, signal }));
			});
			resolve({
				proc,
				base,
				port: Number(new URL(base).port),
				log: () => err,
				/* SIGTERM; resolves to { code, signal } or { timeout: true }. */
				async stop() {
					if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
					const t = new Promise((res) => setTimeout(() => res({ timeout: true }), WAIT_MS).unref());
					const r = await Promise.race([exited, t]);
					if (r.timeout) proc.kill('SIGKILL');
					return r;
				},
			});
		}
		proc.stdout.setEncoding('utf8');
		proc.stderr.setEncoding('utf8');
		proc.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/varn: serving on (http:\/\/[^\s]+)/);
			if (m) finish(null, m[1].replace(/\/$/, ''));
		});
		proc.stderr.on('data', (d) => {
			err += d;
			if (err.length > 200000) err = err.slice(-100000);
		});
		proc.once('error', (e) => finish(e));
		proc.once('exit', (code, signal) => finish(new Error(`varn serve exited early (code ${code}, signal ${signal})`)));
	});
}

/* Debian's chromium, headless, a fresh profile.
 *
 * playwright-core refuses a --user-data-dir argument to launch() ("Pass
 * userDataDir parameter to launchPersistentContext"); for launch() it makes a
 * fresh profile itself with mkdtemp(os.tmpdir()/playwright_chromiumdev_profile-*)
 * and deletes it on close.  We point TMPDIR at our own temporary folder
 * first, so the profile is fresh, lives inside that folder and goes with it
 * even if the browser is killed.  (launchPersistentContext(freshDir) would do
 * the same but gives only one context, and the tests need several.) */
export async function launchBrowser(tmp) {
	const profiles = path.join(tmp, 'chromium');
	fs.mkdirSync(profiles, { recursive: true });
	const saved = process.env.TMPDIR;
	process.env.TMPDIR = profiles;
	try {
		return await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			timeout: WAIT_MS * 2,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--no-first-run',
				'--disable-quic',
				'--disable-sync',
			],
		});
	} finally {
		if (saved === undefined) delete process.env.TMPDIR;
		else process.env.TMPDIR = saved;
	}
}

export async function newContext(browser, base, opts = {}) {
	const ctx = await browser.newContext({
		baseURL: base,
		locale: 'sv-SE',
		viewport: { width: 1280, height: 900 },
		...opts,
	});
	ctx.setDefaultTimeout(WAIT_MS);
	ctx.setDefaultNavigationTimeout(WAIT_MS);
	return ctx;
}

/* ---- acting like a person ---- */

export function reEscape(s) {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/* A form control by the text of its <label>; required fields carry
 * " (obligatoriskt)" in the label, which a person reads past. */
export function field(scope, label) {
	return scope.getByLabel(new RegExp(`^\\s*${reEscape(label)}(\\s*\\(obligatoriskt\\))?\\s*$`));
}

/* Keyboard activation: focus, then Enter. */
export async function activate(locator) {
	await locator.focus();
	await locator.press('Enter');
}

export function link(scope, name) {
	return scope.getByRole('link', { name, exact: true });
}

export function button(scope, name) {
	return scope.getByRole('button', { name, exact: true });
}

export function menu(page) {
	return page.getByRole('navigation', { name: /Huvudmeny/ });
}

export async function urlPath(page) {
	const u = new URL(page.url());
	return u.pathname;
}

export async function waitForPath(page, re) {
	await page.waitForURL((u) => re.test(u.pathname), { timeout: WAIT_MS });
}

export async function h1(page) {
	const h = page.getByRole('heading', { level: 1 });
	await h.first().waitFor({ timeout: WAIT_MS });
	return (await h.first().innerText()).trim();
}

/* Signs in through the form, by keyboard; follows the organisation chooser
 * to the organisation's start page when the person has several. */
export async function signIn(page, email, password, { orgName = KNOWN.orgName, from = '/' } = {}) {
	await page.goto(from);
	await waitForPath(page, /^\/logga-in/);
	await field(page, 'E-postadress eller användarnamn').fill(email);
	await field(page, 'Lösenord').fill(password);
	await activate(button(page, 'Logga in'));
	await page.waitForURL((u) => !u.pathname.startsWith('/logga-in'), { timeout: WAIT_MS });
	if ((await urlPath(page)) === '/' && orgName) {
		const l = link(page.getByRole('main'), orgName);
		if (await l.count()) await activate(l);
	}
}

/* ---- TAP ---- */

export class Tap {
	constructor() {
		this.n = 0;
		this.failed = 0;
	}
	ok(pass, desc, diag) {
		this.n++;
		if (!pass) this.failed++;
		console.log(`${pass ? 'ok' : 'not ok'} ${this.n} - ${desc.replace(/\n/g, ' ')}`);
		if (!pass && diag) this.diag(diag);
		return pass;
	}
	diag(text) {
		for (const line of String(text).split('\n').slice(0, 40)) console.log(`#   ${line}`);
	}
	comment(text) {
		console.log(`# ${text}`);
	}
	/* A group of steps that depend on each other: after the first failure
	 * the rest are reported as not reached, at once, without waiting. */
	group(name) {
		const tap = this;
		return {
			broken: null,
			async step(desc, fn) {
				const label = `${name}: ${desc}`;
				if (this.broken) return tap.ok(false, label, `not reached: "${this.broken}" failed`);
				try {
					const r = await fn();
					if (r === false || (r && r.fail)) {
						this.broken = desc;
						return tap.ok(false, label, r && r.fail);
					}
					return tap.ok(true, label);
				} catch (e) {
					this.broken = desc;
					return tap.ok(false, label, e && e.stack ? e.message : String(e));
				}
			},
		};
	}
	/* One independent check. */
	async check(desc, fn) {
		try {
			const r = await fn();
			if (r === false || (r && r.fail)) return this.ok(false, desc, r && r.fail);
			return this.ok(true, desc);
		} catch (e) {
			return this.ok(false, desc, e && e.message ? e.message : String(e));
		}
	}
	plan() {
		console.log(`1..${this.n}`);
	}
}

export function slugForFile(s) {
	return s.replace(/^\//, '').replace(/[^A-Za-z0-9åäöÅÄÖ_-]+/g, '_').replace(/^_+|_+$/g, '') || 'root';
}

/* ---- axe ---- */

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/* axe-core (WCAG 2.0/2.1 A and AA) on the page: true, or { fail } naming
 * every "serious" or "critical" finding.  AxeBuilder is passed in, so a
 * test file reports missing packages itself (its import guard). */
export async function axeSerious(AxeBuilder, page) {
	const r = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	if (!bad.length) return true;
	return {
		fail: bad.map((v) => `${v.id} (${v.impact}): ${v.help}; at ${v.nodes.slice(0, 6)
			.map((n) => n.target.join(' ')).join(' | ')}`).join('\n'),
	};
}

/* ---- what every test file does ---- */

/* The page is no wider than the window (no sideways scrolling, WCAG
 * 1.4.10): true, or { fail } with the widths. */
export async function fitsWidth(page) {
	const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth,
		document.documentElement.clientWidth]);
	return sw <= cw || { fail: `scrollWidth ${sw} > clientWidth ${cw}` };
}

/* A function (page, name) that saves a full-page screenshot as
 * dir/name.png, or does nothing when dir is empty. */
export function shooter(dir) {
	return async (page, name) => {
		if (!dir) return;
		fs.mkdirSync(dir, { recursive: true });
		await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true,
			timeout: WAIT_MS }).catch(() => {});
	};
}

/* Runs a test file's main() to the end under a watchdog of limitMs (past
 * it: a failed check, everything killed), then closes the browser, stops
 * the server and any other process, removes the temporary folder, prints
 * the plan and exits 1 when anything failed.  state() gives { server,
 * browser, tmp, procs } as they are at that moment. */
export async function runTest(tap, what, limitMs, main, state) {
	const watchdog = setTimeout(() => {
		const s = state();
		tap.ok(false, `${what} finished within ${limitMs / 1000} s`);
		for (const p of [s.server?.proc, ...(s.procs || [])])
			try { p?.kill('SIGKILL'); } catch { /* gone */ }
		setTimeout(() => { removeTemp(s.tmp); tap.plan(); process.exit(1); }, 2000).unref();
	}, limitMs);
	try {
		await main();
	} catch (e) {
		tap.ok(false, `${what} ran to the end`, e && e.stack ? e.stack : String(e));
	}
	const s = state();
	if (s.browser)
		await Promise.race([s.browser.close().catch(() => {}),
			new Promise((r) => setTimeout(r, 5000).unref())]);
	if (s.server) await s.server.stop();
	for (const p of s.procs || [])
		try { p?.kill('SIGTERM'); } catch { /* gone */ }
	removeTemp(s.tmp);
	clearTimeout(watchdog);
	tap.plan();
	process.exit(tap.failed ? 1 : 0);
}

/* The page at 1280 and 390 px: a screenshot each (shot from shooter()),
 * axe with no serious or critical finding, and at 390 px no sideways
 * scrolling; the window is left at 1280 px. */
export async function checkWidths(tap, AxeBuilder, page, what, shot) {
	for (const w of [1280, 390]) {
		await page.setViewportSize({ width: w, height: 900 });
		await page.reload();
		await shot(page, `${what}-${w}`);
		await tap.check(`axe (${w} px): ${what}`, () => axeSerious(AxeBuilder, page));
		if (w < 500)
			await tap.check(`no sideways scroll (${w} px): ${what}`, () => fitsWidth(page));
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}
