// org.test.mjs - the organisation as its users meet it (issue 7): the
// start page of each demo role, "Kom igång", a unit's page, a person's
// page, the roles' duties and the information-security function, each at
// 1280 and 390 px wide with axe (WCAG 2.0/2.1 A and AA: no serious or
// critical finding) and without sideways scrolling at 390 px.  TAP.
//
//   VARN=build/varn node tests/browser/org.test.mjs
//   ORG_SHOTS=/tmp/org-shots VARN=build/varn node tests/browser/org.test.mjs
import fs from 'node:fs';
import path from 'node:path';

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
	Tap, WAIT_MS, button, field, initDemo, launchBrowser, makeTemp, newContext,
	signIn, slugForFile, startServer, varnPath, activate,
} = lib;

const RUN_LIMIT_MS = 240000;
const SHOTS = process.env.ORG_SHOTS || '';
const WIDTHS = [1280, 390];
const O = '/o/exempelstad';

const tap = new Tap();
const tmp = makeTemp();
let server = null;
let browser = null;

function axe(page) {
	return lib.axeSerious(AxeBuilder, page);
}

async function noSidewaysScroll(page) {
	const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth,
		document.documentElement.clientWidth]);
	return sw <= cw || { fail: `scrollWidth ${sw} > clientWidth ${cw}` };
}

async function shot(page, name) {
	if (!SHOTS) return;
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS, `${slugForFile(name)}.png`), fullPage: true,
		timeout: WAIT_MS }).catch(() => {});
}

/* The page at both widths: axe, and at 390 px no sideways scroll. */
async function atBothWidths(page, who, what) {
	for (const w of WIDTHS) {
		await page.setViewportSize({ width: w, height: 900 });
		await page.reload();
		await shot(page, `${who}-${what}-${w}`);
		await tap.check(`axe (${who}, ${w} px): ${what}`, () => axe(page));
		if (w < 500)
			await tap.check(`no sideways scroll (${who}, ${w} px): ${what}`, () => noSidewaysScroll(page));
	}
}

async function waitingText(page) {
	const s = page.locator('section[aria-labelledby="waiting"]');
	return (await s.innerText()).replace(/\s+/g, ' ');
}

/* Every link of the "waiting" section opens (no 403/404). */
async function waitingLinksOpen(page) {
	const hrefs = await page.locator('section[aria-labelledby="waiting"] a').evaluateAll(
		(as) => as.map((a) => a.getAttribute('href')));
	const bad = [];
	for (const h of hrefs) {
		const r = await page.request.get(h);
		if (r.status() >= 400) bad.push(`${h}: ${r.status()}`);
	}
	return !bad.length || { fail: bad.join('\n') };
}

async function asRole(who, email, password, fn) {
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	try {
		const signed = await tap.check(`${who}: signs in`, async () => {
			await signIn(page, email, password);
			return true;
		});
		if (signed) await fn(page);
	} finally {
		await ctx.close();
	}
}

async function main() {
	const varn = varnPath();
	let logins;
	if (!tap.ok(fs.existsSync(varn), `the binary exists (${varn})`)) return;
	try {
		logins = initDemo(varn, tmp);
		server = await startServer(varn, logins.db);
		browser = await launchBrowser(tmp);
		tap.ok(true, 'demo, server and chromium start');
	} catch (e) {
		tap.ok(false, 'demo, server and chromium start', e.message);
		return;
	}
	const pw = logins.password;

	// covers R-1-17 (the open tasks of a role holder on their start page)
	await asRole('system owner', 'socialchef@exempelstad.se', pw, async (page) => {
		await page.goto(`${O}/`);
		await tap.check('system owner: the start page says their system needs a review', async () => {
			const t = await waitingText(page);
			return /\d+ av dina system .* behöver granskas/.test(t) && !/Inget väntar/.test(t) ||
				{ fail: t };
		});
		await tap.check('system owner: the line opens the list of exactly that system', async () => {
			await activate(page.getByRole('link', { name: /av dina system .* behöver granskas/ }));
			await page.waitForURL(/owner_id=/);
			const main = await page.getByRole('main').innerText();
			return /Verksamhetssystem IFO/.test(main) && !/Zoom|E-arkiv/.test(main) || { fail: main.slice(0, 500) };
		});
		await page.goto(`${O}/`);
		await tap.check('system owner: every line opens', () => waitingLinksOpen(page));
		await atBothWidths(page, 'system owner', 'start page');
	});

	await asRole('coordinator', logins.coordinator, pw, async (page) => {
		await page.goto(`${O}/`);
		await tap.check('coordinator: every line opens, none is refused', () => waitingLinksOpen(page));
		await atBothWidths(page, 'coordinator', 'start page');
		await tap.check('coordinator: the start page leads to "Kom igång" with its progress', async () => {
			const l = page.getByRole('link', { name: /Kom igång.*av 8 steg klara/ });
			if (!(await l.count())) return { fail: 'no link' };
			await activate(l);
			await page.waitForURL(/kom-igang/);
			return true;
		});
		await atBothWidths(page, 'coordinator', 'Kom igång');
		await page.goto(`${O}/units`);
		await activate(page.getByRole('link', { name: 'Socialförvaltningen', exact: true }).first());
		await page.waitForURL(/\/units\/\d+$/);
		await tap.check('coordinator: the unit page lists sub-units, people, roles and systems', async () => {
			const t = await page.getByRole('main').innerText();
			return ['Underenheter', 'Individ- och familjeomsorg', 'Personer i enheten', 'Anders Åkesson',
				'Roller för enheten'].every((s) => t.includes(s)) || { fail: t.slice(0, 800) };
		});
		await atBothWidths(page, 'coordinator', 'unit page');
		await page.goto(`${O}/people`);
		await activate(page.getByRole('link', { name: 'Anders Åkesson', exact: true }).first());
		await page.waitForURL(/\/people\/\d+$/);
		await tap.check('coordinator: the person page lists their roles and the systems they own', async () => {
			const t = await page.getByRole('main').innerText();
			return ['System som personen äger', 'Verksamhetssystem IFO', 'Roller'].every((s) => t.includes(s)) ||
				{ fail: t.slice(0, 800) };
		});
		await atBothWidths(page, 'coordinator', 'person page');
		await page.goto(`${O}/role-duties`);
		await atBothWidths(page, 'coordinator', 'roles and duties');
		await page.goto(`${O}/bodies`);
		await activate(page.getByRole('link', { name: 'Informationssäkerhetsfunktionen', exact: true }).first());
		await page.waitForURL(/\/bodies\/\d+$/);
		await atBothWidths(page, 'coordinator', 'the security function');
		await page.goto(`${O}/bodies/new`);
		await activate(button(page, 'Spara').first());
		await page.waitForLoadState();
		await tap.check('coordinator: the empty body form comes back with an error', async () =>
			/obligatorisk|Fyll i|saknas/i.test(await page.getByRole('main').innerText()) || { fail: 'no error' });
		await shot(page, 'coordinator-body-form-error');
		await tap.check('axe (coordinator): the body form with errors', () => axe(page));
		await page.goto(`${O}/systems/new`);
		await tap.check('coordinator: the owner picker offers who can own first', async () => {
			const groups = await field(page, 'Systemägare').locator('optgroup').evaluateAll(
				(gs) => gs.map((g) => g.getAttribute('label')));
			return groups[0]?.startsWith('Kan ha ansvar') || { fail: JSON.stringify(groups) };
		});
	});

	for (const [who, email] of [['information owner', 'informationsagare@exempelstad.se'],
		['IT manager', 'it-chef@exempelstad.se'], ['plain user', logins.user],
		['admin', logins.admin]]) {
		await asRole(who, email, pw, async (page) => {
			await page.goto(`${O}/`);
			await tap.check(`${who}: every line of the start page opens`, () => waitingLinksOpen(page));
			await atBothWidths(page, who, 'start page');
		});
	}
}

await lib.runTest(tap, 'the org browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
