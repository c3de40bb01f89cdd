// outbox.test.mjs - the outbox page as an administrator meets it (issue 8,
// e-mail): the demo is pointed at a real SMTP server on loopback
// (tests/mail/smtp_sink.py) that refuses every recipient; the server's own
// scheduler queues the review reminders and tries to send them; the
// administrator goes from "Inställningar" to "Utgående e-post", sees the
// mail server's settings (never a password), each message's state in
// Swedish with the server's answer, and sends a refused one again by
// keyboard, without JavaScript.  axe (WCAG 2.0/2.1 A and AA) at 1280 and
// 390 px: no serious or critical finding, no sideways scrolling at 390 px.
// A coordinator and a plain user may not open it.  TAP on stdout.
//
//   VARN=build/varn node tests/browser/outbox.test.mjs
//   OUTBOX_SHOTS=/tmp/outbox-shots VARN=build/varn node tests/browser/outbox.test.mjs
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
	signIn, startServer, varnPath,
} = lib;

const RUN_LIMIT_MS = 150000;
const SHOTS = process.env.OUTBOX_SHOTS || '';
const O = '/o/exempelstad';
const SINK = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'mail', 'smtp_sink.py');

const tap = new Tap();
const tmp = makeTemp('varn-outbox-');
let server = null;
let browser = null;
let sink = null;

const shot = lib.shooter(SHOTS);

/* Debian's python3-aiosmtpd on a free loopback port; resolves once it
 * prints "ready". */
async function startSink(dir) {
	const port = await freePort();
	fs.mkdirSync(dir, { recursive: true });
	const proc = spawn('/usr/bin/python3', [SINK, String(port), dir],
		{ stdio: ['ignore', 'pipe', 'pipe'] });
	await new Promise((resolve, reject) => {
		const t = setTimeout(() => reject(new Error('the SMTP sink did not start')), WAIT_MS);
		proc.stdout.on('data', (d) => { if (/ready/.test(String(d))) { clearTimeout(t); resolve(); } });
		proc.once('exit', (c) => { clearTimeout(t); reject(new Error(`the SMTP sink exited (${c})`)); });
	});
	return { proc, port, dir };
}

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	sink = await startSink(path.join(tmp, 'sink'));
	fs.writeFileSync(path.join(sink.dir, 'refuse'), '');
	const cfg = spawnSync(varn, ['mail', 'config', '--db', demo.db, '--host', '127.0.0.1',
		'--port', String(sink.port), '--security', 'none', '--from', 'varn@exempelstad.se',
		'--base-url', 'https://varn.exempelstad.se'], { encoding: 'utf8' });
	tap.ok(cfg.status === 0, '`varn mail config` points the demo at the test SMTP server',
		cfg.stderr);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);

	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, demo.admin, demo.password);
	const g = tap.group('administrator');
	await g.step('finds "Utgående e-post" under "Inställningar"', async () => {
		await activate(page.getByRole('navigation', { name: 'Huvudmeny' })
			.getByRole('link', { name: 'Inställningar', exact: true }));
		await activate(page.getByRole('link', { name: 'Utgående e-post' }));
		await page.waitForURL(/\/outbox$/, { timeout: WAIT_MS });
		return true;
	});
	await g.step('sees the mail server, never a password', async () => {
		const t = await page.locator('main').innerText();
		return (t.includes(`127.0.0.1:${sink.port}`) && t.includes('varn@exempelstad.se') &&
			!/lösenord:/i.test(t)) || { fail: t.slice(0, 800) };
	});
	await g.step('the scheduler queued the review reminder; the refusal shows as "Misslyckat" with the answer', async () => {
		for (let i = 0; i < 40; i++) {
			const t = await page.locator('main').innerText();
			if (/socialchef@exempelstad\.se/.test(t) && /Misslyckat/.test(t) && /550/.test(t))
				return true;
			await page.waitForTimeout(1000);
			await page.reload();
		}
		return { fail: (await page.locator('main').innerText()).slice(0, 1500) };
	});
	await lib.checkWidths(tap, AxeBuilder, page, 'outbox page', shot);
	await ctx.close();

	fs.rmSync(path.join(sink.dir, 'refuse'));
	const nojs = await newContext(browser, server.base, { javaScriptEnabled: false });
	const p1 = await nojs.newPage();
	await signIn(p1, demo.admin, demo.password);
	const h = tap.group('administrator, without JavaScript');
	await h.step('"Skicka igen" by keyboard puts the message back in the queue', async () => {
		await p1.goto(`${O}/outbox`);
		const row = p1.getByRole('row').filter({ hasText: 'socialchef@exempelstad.se' }).first();
		await activate(row.getByRole('button', { name: 'Skicka igen' }));
		await p1.waitForURL(/\/outbox$/, { timeout: WAIT_MS });
		const t = await p1.getByRole('row').filter({ hasText: 'socialchef@exempelstad.se' })
			.first().innerText();
		return /I kö/.test(t) || { fail: t };
	});
	await h.step('the resend is in the audit trail', async () => {
		await p1.goto(`${O}/audit`);
		const t = await p1.locator('main').innerText();
		return (/Skickade e-post igen/.test(t) && /socialchef@exempelstad\.se/.test(t)) ||
			{ fail: t.slice(0, 800) };
	});
	await nojs.close();

	for (const [who, email] of [['coordinator', demo.coordinator], ['plain user', demo.user]]) {
		const c = await newContext(browser, server.base);
		const p = await c.newPage();
		await signIn(p, email, demo.password);
		await tap.check(`a ${who} may not open it (403)`, async () => {
			const r = await p.goto(`${O}/outbox`);
			return r.status() === 403 || { fail: `status ${r.status()}` };
		});
		await c.close();
	}
}

await lib.runTest(tap, 'the outbox browser tests', RUN_LIMIT_MS, main,
	() => ({ server, browser, tmp, procs: [sink?.proc] }));
