// wizard.test.mjs - the classification wizard (issue 7) in the demo, by
// keyboard, as the coordinator (samordnare@exempelstad.se) classifying an
// information set nobody has classified yet: once with JavaScript and once
// without (a context with javaScriptEnabled: false).  On every step, on the
// decision's error state and on the result: axe (WCAG 2.0/2.1 A and AA, no
// serious or critical finding) at 1280 and at 390 px wide, and no sideways
// scrolling at 390 px.  The decision step's first focus is the proposal;
// after a refused decision it is the error summary.  Prints the page loads
// and key presses one classification takes.
//
//   VARN=build/varn node tests/browser/wizard.test.mjs
//   SCREENSHOT_DIR=/tmp/wizard-shots VARN=build/varn node tests/browser/wizard.test.mjs
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
	Tap, WAIT_MS, activate, button, initDemo, launchBrowser, link, makeTemp, newContext,
	signIn, startServer, varnPath, waitForPath,
} = lib;

const RUN_LIMIT_MS = 240000;
const SHOTS = process.env.SCREENSHOT_DIR || '';
const O = '/o/exempelstad';
// the demo's two information sets left unclassified (demo.c)
const SETS = { js: 'Låntagaruppgifter', nojs: 'IT-supportärenden' };

const tap = new Tap();
const tmp = makeTemp('varn-wizard-');
let server = null;
let browser = null;
let logins = null;

function axe(page) {
	return lib.axeSerious(AxeBuilder, page);
}

async function shot(page, name) {
	if (!SHOTS) return;
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, timeout: WAIT_MS })
		.catch((e) => tap.comment(`screenshot ${name} failed: ${e.message.split('\n')[0]}`));
}

/* axe and the width check at 1280 and 390 px; back at 1280 after.  The
 * page is not reloaded: the focus and the state stay as they are. */
async function bothWidths(page, what, mode) {
	// axe runs in the page: with JavaScript off the same pages were
	// checked by the walk with it on
	if (mode === 'no-js') {
		await shot(page, `${mode}-${what.replace(/[^A-Za-z0-9åäöÅÄÖ]+/g, '-')}-1280`);
		return;
	}
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await tap.check(`${mode}: axe at ${width} px: ${what}`, () => axe(page));
		if (width === 390)
			await tap.check(`${mode}: no sideways scrolling at 390 px: ${what}`, async () => {
				const w = await page.evaluate(() => ({
					scroll: document.documentElement.scrollWidth,
					client: document.documentElement.clientWidth,
				}));
				return w.scroll <= w.client || { fail: `scrollWidth ${w.scroll} > clientWidth ${w.client}` };
			});
		await shot(page, `${mode}-${what.replace(/[^A-Za-z0-9åäöÅÄÖ]+/g, '-')}-${width}`);
		if (SHOTS && width === 390) // the top of the phone's page, at a size one can look at
			await page.screenshot({ path: path.join(SHOTS, `${mode}-${what.replace(/[^A-Za-z0-9åäöÅÄÖ]+/g, '-')}-390-top.png`),
				clip: { x: 0, y: 0, width: 390, height: 1100 }, fullPage: true }).catch(() => {});
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

/* document.activeElement, through the :focus selector: a locator works
 * without JavaScript in the page (page.evaluate does not). */
async function focused(page) {
	const f = page.locator(':focus');
	if ((await f.count()) !== 1) return null;
	return { id: await f.getAttribute('id'), text: (await f.innerText()).trim().slice(0, 80) };
}

/* A radio of a question (a fieldset named by its legend), checked by
 * keyboard: focus it and press Space. */
async function answer(page, question, level, count) {
	const r = page.getByRole('group', { name: new RegExp(question) }).getByRole('radio', { name: level, exact: true });
	await r.focus();
	await page.keyboard.press('Space');
	count.keys++;
	if (!(await r.isChecked())) throw new Error(`"${level}" for "${question}" is not checked`);
}

/* A submit button by keyboard, then the step that must follow. */
async function go(page, name, heading, count) {
	await activate(button(page, name));
	count.keys++;
	await page.locator('#step-h', { hasText: heading }).waitFor({ timeout: WAIT_MS });
}

async function walk(mode, set) {
	const ctx = await newContext(browser, server.base, mode === 'no-js' ? { javaScriptEnabled: false } : {});
	const page = await ctx.newPage();
	const count = { loads: 0, keys: 0 };
	const g = tap.group(mode);
	let setUrl = null;

	await g.step('the coordinator signs in', async () => {
		await signIn(page, logins.coordinator, logins.password);
		await waitForPath(page, new RegExp(`^${O}/$`));
		return true;
	});
	await g.step(`opens the unclassified "${set}"`, async () => {
		await page.goto(`${O}/information?q=${encodeURIComponent(set)}`);
		await activate(link(page.getByRole('main'), set));
		await waitForPath(page, new RegExp(`^${O}/information/\\d+$`));
		setUrl = new URL(page.url()).pathname;
		const main = await page.getByRole('main').innerText();
		return /inte klassad/.test(main) || { fail: 'the set does not say it is unclassified' };
	});
	// from here on: what one classification costs
	page.on('load', () => count.loads++);
	await g.step('"Klassa" opens step 1 of 5, Konfidentialitet, marked in the list of steps', async () => {
		await activate(link(page.getByRole('region', { name: 'Gällande klassning' }), 'Klassa'));
		count.keys++;
		await waitForPath(page, /\/classify$/);
		const h = (await page.locator('#step-h').innerText()).trim();
		if (h !== 'Steg 1 av 5: Konfidentialitet') return { fail: `step heading "${h}"` };
		const cur = await page.locator('ol.cls-steps li[aria-current="step"]').innerText();
		return cur.trim() === 'Konfidentialitet' || { fail: `aria-current on "${cur}"` };
	});
	if (!g.broken) await bothWidths(page, 'step 1 Konfidentialitet', mode);
	await g.step('K: answered by keyboard, Nästa goes to step 2 Riktighet', async () => {
		await answer(page, 'Den enskildes integritet', '2 Betydande', count);
		await answer(page, 'Verksamhet', '1 Måttlig', count);
		await go(page, 'Nästa: Riktighet', 'Steg 2 av 5: Riktighet', count);
		return true;
	});
	if (!g.broken) await bothWidths(page, 'step 2 Riktighet', mode);
	await g.step('R: Nästa without an answer stays, with an error summary that has the focus', async () => {
		await activate(button(page, 'Nästa: Tillgänglighet'));
		count.keys++;
		await page.locator('.error-summary').waitFor();
		const f = await focused(page);
		if (!f || f.id !== 'errors') return { fail: `focus on ${JSON.stringify(f)}` };
		const h = (await page.locator('#step-h').innerText()).trim();
		return h === 'Steg 2 av 5: Riktighet' || { fail: `step heading "${h}"` };
	});
	if (!g.broken) await bothWidths(page, 'step 2 Riktighet with an error', mode);
	await g.step('R: Tillbaka shows K with its answers still checked', async () => {
		await go(page, 'Tillbaka: Konfidentialitet', 'Steg 1 av 5: Konfidentialitet', count);
		const r = page.getByRole('group', { name: /Den enskildes integritet/ }).getByRole('radio', { name: '2 Betydande', exact: true });
		return (await r.isChecked()) || { fail: 'K\'s answer was lost going back' };
	});
	await g.step('K → R again; R answered; on to step 3 Tillgänglighet', async () => {
		await go(page, 'Nästa: Riktighet', 'Steg 2 av 5: Riktighet', count);
		await answer(page, 'Ekonomi', '3 Allvarlig', count);
		await go(page, 'Nästa: Tillgänglighet', 'Steg 3 av 5: Tillgänglighet', count);
		return true;
	});
	if (!g.broken) await bothWidths(page, 'step 3 Tillgänglighet', mode);
	await g.step('T: marked "not analysed" by keyboard (R-3-04); on to step 4 Spårbarhet', async () => {
		// covers R-3-04
		const box = page.getByRole('checkbox', { name: /Aspekten analyseras inte nu/ });
		await box.focus();
		await page.keyboard.press('Space');
		count.keys++;
		if (!(await box.isChecked())) return { fail: 'the box is not checked' };
		await go(page, 'Nästa: Spårbarhet', 'Steg 4 av 5: Spårbarhet', count);
		return true;
	});
	if (!g.broken) await bothWidths(page, 'step 4 Spårbarhet', mode);
	await g.step('S answered; Nästa: Beslut opens step 5 with the focus on the proposal', async () => {
		await answer(page, 'Lagkrav', '2 Betydande', count);
		await go(page, 'Nästa: Beslut', 'Steg 5 av 5: Beslut', count);
		const f = await focused(page);
		return (f && f.id === 'proposal-h') || { fail: `the first focus is on ${JSON.stringify(f)}, not the proposal` };
	});
	await g.step('the proposal reads K2 Betydande, R3 Allvarlig, T Inte analyserad, S2 Betydande, above the fields', async () => {
		const chips = (await page.locator('.cls-proposal .cls-chip').allInnerTexts()).map((t) => t.trim());
		const want = ['K2 Betydande', 'R3 Allvarlig', 'T Inte analyserad', 'S2 Betydande'];
		if (JSON.stringify(chips) !== JSON.stringify(want)) return { fail: `chips ${JSON.stringify(chips)}` };
		const a = await page.locator('#proposal-h').boundingBox();
		const b = await page.locator('input[name="level_k"]').first().boundingBox();
		return a.y < b.y || { fail: `proposal at ${a.y} px, first field at ${b.y} px` };
	});
	await g.step('the decision is preselected to the proposal (K 2, T "Inte analyserad")', async () => {
		const k = page.getByRole('group', { name: /Vald nivå: Konfidentialitet/ }).getByRole('radio', { name: '2 Betydande', exact: true });
		const t = page.getByRole('group', { name: /Vald nivå: Tillgänglighet/ }).getByRole('radio', { name: 'Inte analyserad', exact: true });
		return ((await k.isChecked()) && (await t.isChecked())) || { fail: 'not preselected' };
	});
	if (!g.broken) await bothWidths(page, 'step 5 Beslut', mode);
	await g.step('saving without motivations is refused: the error summary has the focus, every answer kept', async () => {
		await answer(page, 'Vald nivå: Konfidentialitet', '3 Allvarlig', count);
		await activate(button(page, 'Spara klassning'));
		count.keys++;
		await page.locator('.error-summary').waitFor();
		const f = await focused(page);
		if (!f || f.id !== 'errors') return { fail: `focus on ${JSON.stringify(f)}` };
		const text = await page.locator('.error-summary').innerText();
		if (!/Motivera varför aspekten inte analyseras/.test(text) || !/Motivera varför du väljer en annan nivå/.test(text))
			return { fail: `summary: ${text}` };
		const kept = [];
		for (const n of ['a_k_privacy', 'a_r_finances', 'na_t', 'a_s_legal'])
			kept.push(await page.locator(`input[type=hidden][name="${n}"]`).getAttribute('value'));
		if (JSON.stringify(kept) !== JSON.stringify(['2', '3', '1', '2'])) return { fail: `hidden answers ${JSON.stringify(kept)}` };
		const k = page.getByRole('group', { name: /Vald nivå: Konfidentialitet/ }).getByRole('radio', { name: '3 Allvarlig', exact: true });
		return (await k.isChecked()) || { fail: 'the chosen K was lost' };
	});
	if (!g.broken) await bothWidths(page, 'step 5 Beslut with errors', mode);
	await g.step('the summary\'s link leads to the motivation, which names its error (aria-describedby)', async () => {
		const d = await page.locator('#f-reason_t').getAttribute('aria-describedby');
		if (!/f-reason_t-error/.test(d || '')) return { fail: `aria-describedby="${d}"` };
		const inv = await page.locator('#f-reason_t').getAttribute('aria-invalid');
		return inv === 'true' || { fail: 'not aria-invalid' };
	});
	await g.step('motivations typed; "Spara klassning" saves and returns to the set', async () => {
		await page.locator('#f-reason_k').focus();
		await page.keyboard.type('Uppgifterna samlas i stora mängder.');
		await page.locator('#f-reason_t').focus();
		await page.keyboard.type('Tillgängligheten bedöms i nästa översyn.');
		count.keys += 2; // two text fields typed in
		await activate(button(page, 'Spara klassning'));
		count.keys++;
		await waitForPath(page, new RegExp(`^${setUrl}$`));
		return true;
	});
	const loads = count.loads;
	await g.step('the set shows K3 Allvarlig and "T Inte analyserad" as chips with text, never T0', async () => {
		const chips = (await page.getByRole('region', { name: 'Gällande klassning' }).locator('.cls-chip').allInnerTexts()).map((t) => t.trim());
		const want = ['K3 Allvarlig', 'R3 Allvarlig', 'T Inte analyserad', 'S2 Betydande'];
		return JSON.stringify(chips) === JSON.stringify(want) || { fail: `chips ${JSON.stringify(chips)}` };
	});
	if (!g.broken) await bothWidths(page, 'the classified set', mode);
	tap.comment(`${mode}: one classification with the wizard took ${loads} page loads and ${count.keys} key presses ` +
		'(including one refused Nästa, one Tillbaka and a refused decision; the straight path is 6 page loads)');
	await ctx.close();
}

/* Information concerning Sweden's security (R-3-06): a set marked
 * "Säkerhetsskydd" says so on the first step, which is not left without
 * confirming the escalation. */
async function securityProtection() {
	// covers R-3-06
	const set = 'Säkerhetsloggar och nätkonfiguration';
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	const g = tap.group('security protection');
	const count = { loads: 0, keys: 0 };

	await g.step(`the coordinator marks "${set}" as Säkerhetsskydd`, async () => {
		await signIn(page, logins.coordinator, logins.password);
		await page.goto(`${O}/information?q=${encodeURIComponent(set)}`);
		await activate(link(page.getByRole('main'), set));
		await waitForPath(page, new RegExp(`^${O}/information/\\d+$`));
		const setPath = new URL(page.url()).pathname;
		await page.goto(`${setPath}/edit`);
		const box = page.getByRole('checkbox', { name: 'Säkerhetsskydd', exact: true });
		await box.focus();
		if (!(await box.isChecked())) await page.keyboard.press('Space');
		await activate(button(page.getByRole('main'), 'Spara'));
		await waitForPath(page, new RegExp(`^${setPath}$`));
		await page.goto(`${setPath}/classify`);
		return true;
	});
	await g.step('step 1 says the information is not handled on the normal scale, and asks for a confirmation', async () => {
		const main = await page.getByRole('main').innerText();
		if (!/Information som rör Sveriges säkerhet/.test(main) || !/inte på den normala skalan/.test(main))
			return { fail: 'no notice on the first step' };
		const n = await page.getByRole('checkbox', { name: /Aspekten analyseras inte nu/ }).count();
		return n === 0 || { fail: 'confidentiality may be left unanalysed' };
	});
	if (!g.broken) await bothWidths(page, 'security protection step 1', 'js');
	await g.step('Nästa without confirming stays on step 1; the error summary has the focus', async () => {
		await activate(button(page, 'Nästa: Riktighet'));
		await page.locator('.error-summary').waitFor();
		const f = await focused(page);
		if (!f || f.id !== 'errors') return { fail: `focus on ${JSON.stringify(f)}` };
		const text = await page.locator('.error-summary').innerText();
		return /lyfts till säkerhetsskyddschefen/.test(text) || { fail: `summary: ${text}` };
	});
	if (!g.broken) await bothWidths(page, 'security protection step 1 with an error', 'js');
	await g.step('confirmed by keyboard, Nästa goes on to Riktighet', async () => {
		const box = page.getByRole('checkbox', { name: /Jag har lyft informationen/ });
		await box.focus();
		await page.keyboard.press('Space');
		await go(page, 'Nästa: Riktighet', 'Steg 2 av 5: Riktighet', count);
		return true;
	});
	await ctx.close();
}

async function main() {
	const varn = varnPath();
	if (!tap.ok(fs.existsSync(varn), `the binary exists (${varn})`)) return;
	logins = initDemo(varn, tmp);
	server = await startServer(varn, logins.db);
	browser = await launchBrowser(tmp);
	await walk('js', SETS.js);
	await walk('no-js', SETS.nojs);
	await securityProtection();
}

await lib.runTest(tap, 'the wizard tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
