// screenshots.mjs - saves PNG screenshots of Värn's main pages for people
// to look at (README, design review).  Not a test: it counts nothing.
//
//   VARN=build/varn node tests/browser/screenshots.mjs OUTDIR
//
// Creates the demo in a temporary folder, starts the server on a free port,
// and photographs the pages as the coordinator, the administrator, a plain
// user and a visitor who is not signed in, at desktop width and (for a few
// pages) at phone width; the system register (50-63) on the demo's records.
import fs from 'node:fs';
import path from 'node:path';
import {
	WAIT_MS, activate, button, field, initDemo, launchBrowser, makeTemp, newContext,
	removeTemp, signIn, startServer, varnPath,
} from './lib.mjs';

const out = process.argv[2];
if (!out) {
	console.error('usage: VARN=build/varn node tests/browser/screenshots.mjs OUTDIR');
	process.exit(2);
}
fs.mkdirSync(out, { recursive: true });

const O = '/o/exempelstad';
const PHONE = { width: 390, height: 844 };
const tmp = makeTemp();
let server = null;
let browser = null;
let failures = 0;

const watchdog = setTimeout(() => {
	console.error('screenshots: gave up after 150 s');
	try { server?.proc.kill('SIGKILL'); } catch { /* gone */ }
	removeTemp(tmp);
	process.exit(1);
}, 150000);

async function save(page, name, { full = true } = {}) {
	const file = path.join(out, `${name}.png`);
	try {
		await page.screenshot({ path: file, fullPage: full, timeout: WAIT_MS });
		console.log(file);
	} catch (e) {
		failures++;
		console.error(`${name}: ${e.message.split('\n')[0]}`);
	}
}

async function visit(page, url, name, opts) {
	try {
		await page.goto(url);
	} catch (e) {
		failures++;
		console.error(`${name}: ${e.message.split('\n')[0]}`);
		return;
	}
	await save(page, name, opts);
}

/* The record page of the first row of a list. */
async function firstRecord(page, list) {
	await page.goto(list);
	const a = page.locator('table tbody tr a').first();
	return (await a.count()) ? new URL(await a.getAttribute('href'), page.url()).pathname : null;
}

/* The record page of the row of a list whose link reads name. */
async function recordByName(page, list, name) {
	await page.goto(`${list}?q=${encodeURIComponent(name)}`);
	const a = page.getByRole('main').getByRole('link', { name, exact: true }).first();
	return (await a.count()) ? new URL(await a.getAttribute('href'), page.url()).pathname : null;
}

try {
	const logins = initDemo(varnPath(), tmp);
	server = await startServer(varnPath(), logins.db);
	browser = await launchBrowser(tmp);

	// A visitor who is not signed in.
	{
		const ctx = await newContext(browser, server.base);
		const page = await ctx.newPage();
		await visit(page, '/logga-in', '01-sign-in');
		await field(page, 'E-postadress eller användarnamn').fill('samordnare@exempelstad.se');
		await field(page, 'Lösenord').fill('fel lösenord');
		await activate(button(page, 'Logga in'));
		await page.waitForLoadState();
		await save(page, '02-sign-in-wrong-password');
		await page.setViewportSize(PHONE);
		await visit(page, '/logga-in', '03-sign-in-phone');
		await ctx.close();
	}

	// The coordinator.
	{
		const ctx = await newContext(browser, server.base);
		const page = await ctx.newPage();
		await signIn(page, logins.coordinator, logins.password, { orgName: null });
		await save(page, '10-coordinator-after-sign-in');
		await visit(page, `${O}/`, '11-start');
		await visit(page, `${O}/units`, '12-units');
		const unit = await firstRecord(page, `${O}/units`);
		if (unit) {
			await visit(page, unit, '13-unit');
			await visit(page, `${unit}/edit`, '14-unit-edit');
		}
		await visit(page, `${O}/units/new`, '15-unit-new');
		await field(page, 'Kod').fill('X-1');
		await field(page, 'Beskrivning').fill('Här saknas ett namn.');
		await activate(button(page.getByRole('main'), 'Spara'));
		await page.waitForLoadState();
		await save(page, '16-unit-form-with-errors');
		await visit(page, `${O}/people`, '17-people');
		const person = await firstRecord(page, `${O}/people`);
		if (person) await visit(page, person, '18-person');
		await visit(page, `${O}/people/new`, '19-person-new');
		await visit(page, `${O}/roles`, '20-roles');
		await visit(page, `${O}/roles/new`, '21-role-new');
		await visit(page, `${O}/audit`, '22-audit', { full: false });
		await visit(page, `${O}/units/import`, '23-import');
		await field(page, 'CSV-innehåll').fill('Namn;Typ;Ingår i\nTestenhet;enhet;Finns inte\n;okänd;\n');
		await activate(button(page.getByRole('main'), 'Förhandsgranska'));
		await page.waitForLoadState();
		await save(page, '24-import-preview-errors');
		await visit(page, '/konto', '25-account');
		// the system register (issue 3) with the demo's records
		await visit(page, `${O}/systems`, '50-systems');
		await visit(page, `${O}/systems?lifecycle=operation&business_critical=1`, '51-systems-business-critical');
		const system = await recordByName(page, `${O}/systems`, 'Journalsystem vård och omsorg');
		if (system) {
			await visit(page, system, '52-system-with-dependencies');
			await visit(page, `${system}/edit`, '53-system-edit');
		}
		await visit(page, `${O}/systems/new`, '54-system-new');
		await visit(page, `${O}/information`, '55-information-sets');
		const infoset = await recordByName(page, `${O}/information`, 'Skyddade personuppgifter');
		if (infoset) {
			await visit(page, infoset, '56-information-set-level-4');
			await visit(page, `${infoset}/classify`, '57-guided-classification');
		}
		await visit(page, `${O}/classifications`, '58-classifications');
		await visit(page, `${O}/dependencies`, '59-dependencies');
		await visit(page, `${O}/outside-baseline`, '60-outside-baseline');
		await visit(page, `${O}/information-review`, '61-information-review');
		await visit(page, `${O}/search?q=${encodeURIComponent('löne')}`, '62-search');
		await visit(page, '/finns-inte', '26-not-found');
		await page.setViewportSize(PHONE);
		await visit(page, `${O}/`, '27-start-phone');
		await visit(page, `${O}/units`, '28-units-phone');
		await visit(page, `${O}/units/new`, '29-unit-new-phone');
		if (system) await visit(page, system, '63-system-phone');
		await ctx.close();
	}

	// The administrator.
	{
		const ctx = await newContext(browser, server.base);
		const page = await ctx.newPage();
		await signIn(page, logins.admin, logins.password);
		await visit(page, `${O}/settings`, '30-admin-settings');
		await ctx.close();
	}

	// A plain user.
	{
		const ctx = await newContext(browser, server.base);
		const page = await ctx.newPage();
		await signIn(page, logins.user, logins.password);
		await save(page, '40-user-start');
		await visit(page, `${O}/audit`, '41-user-audit-forbidden');
		await ctx.close();
	}
} catch (e) {
	failures++;
	console.error(e && e.stack ? e.stack : String(e));
} finally {
	if (browser) await browser.close().catch(() => {});
	if (server) await server.stop();
	removeTemp(tmp);
	clearTimeout(watchdog);
}
process.exit(failures ? 1 : 0);
