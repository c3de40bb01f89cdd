// model.test.mjs - the system register as its users meet it (issue 7, part
// "model"): a new system reads "Ej klassad", never K0; a demo system's page
// at 1280 and 390 px without sideways scrolling, with its grouped fields,
// profile card and legend; the system form with errors; an information
// set's page; axe (WCAG 2.0/2.1 A and AA) on each, no serious or critical
// finding.  TAP on stdout.
//
//   VARN=build/varn node tests/browser/model.test.mjs
//   SCREENSHOT_DIR=/tmp/model-shots VARN=build/varn node tests/browser/model.test.mjs
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
	Tap, WAIT_MS, activate, button, field, initDemo, launchBrowser, makeTemp, newContext,
	signIn, startServer, varnPath,
} = lib;

const RUN_LIMIT_MS = 180000;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SHOTS = process.env.SCREENSHOT_DIR || '';
const WIDTHS = [1280, 390];

const tap = new Tap();
const tmp = makeTemp('varn-model-');
let server = null;
let browser = null;

async function axe(page, what) {
	const r = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	return tap.ok(!bad.length, `axe: ${what}: no serious or critical finding`,
		bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`).join('\n'));
}

async function noSidewaysScroll(page, what) {
	return tap.check(`${what}: no sideways scrolling`, () => lib.fitsWidth(page));
}

async function shot(page, name) {
	if (!SHOTS) return;
	const fs = await import('node:fs');
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
	await page.screenshot({ path: `${SHOTS}/${name}-top.png` });
}

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}`;

	for (const width of WIDTHS) {
		const ctx = await newContext(browser, server.base, { viewport: { width, height: 900 } });
		const page = await ctx.newPage();
		await signIn(page, demo.coordinator, demo.password);

		// a demo system with sensitive data, its roles and the new fields
		await page.goto(`${O}/systems?search=${encodeURIComponent('Verksamhetssystem IFO')}`);
		await activate(page.getByRole('link', { name: 'Verksamhetssystem IFO', exact: true }).first());
		await page.waitForURL(/\/systems\/\d+$/);
		const body = await page.locator('main').innerText();
		// covers R-2-03 R-2-10 R-2-12 R-2-13 R-2-14 R-2-11 R-2-18
		tap.ok(/Verksamhetsansvarig/.test(body) && /Uppdateringsstatus/.test(body) &&
			/Testmiljö finns/.test(body) && /Autentisering vid externa anslutningar/.test(body) &&
			/Driftdokumentation/.test(body) && /Överenskommelse om drift med IT/.test(body),
			`${width} px: the system page shows the new fields`);
		tap.ok(await page.getByRole('heading', { level: 2, name: 'Leverantör och avtal' }).count() === 1 &&
			await page.getByRole('heading', { level: 2, name: 'Drift och förvaltning' }).count() === 1,
			`${width} px: the fields are grouped under headings`);
		tap.ok(await page.locator('details.legend summary').count() === 1,
			`${width} px: a legend ties the protection level to the consequence levels`);
		await noSidewaysScroll(page, `${width} px: a demo system's page`);
		await axe(page, `${width} px: a demo system's page`);
		await shot(page, `system-ifo-${width}`);
		if (SHOTS) await page.locator('svg.dependency-picture').screenshot({ path: `${SHOTS}/deps-${width}.png` });

		// a demo system whose level changed: the banner says what, and takes a note
		await page.goto(`${O}/systems?search=Zoom`);
		await activate(page.getByRole('link', { name: 'Zoom', exact: true }).first());
		await page.waitForURL(/\/systems\/\d+$/);
		const zoom = await page.locator('main').innerText();
		tap.ok(/Skyddsnivån har ändrats/.test(zoom) && /→/.test(zoom),
			`${width} px: the "level changed" banner says what changed`);
		tap.ok(await field(page, 'Anteckning').count() === 1,
			`${width} px: marking it reviewed takes a note`);
		await noSidewaysScroll(page, `${width} px: a system with the banner`);
		await axe(page, `${width} px: a system with the "level changed" banner`);
		await shot(page, `system-banner-${width}`);

		// a demo system with unclassified information
		await page.goto(`${O}/systems?search=${encodeURIComponent('IT-servicedesk')}`);
		await activate(page.getByRole('link', { name: 'IT-servicedesk', exact: true }).first());
		await page.waitForURL(/\/systems\/\d+$/);
		// covers R-3-04
		tap.ok(/Skyddsnivå saknas – 1 av 1 informationsmängd är inte klassad/.test(await page.locator('main').innerText()),
			`${width} px: a system whose information is not classified says so`);
		await noSidewaysScroll(page, `${width} px: a system with unclassified information`);
		await shot(page, `system-unclassified-${width}`);

		// the form with errors: raise without a reason
		await page.goto(`${O}/systems/new`);
		await field(page, 'Namn').fill(`Testsystem ${width}`);
		await page.locator('#f-hosting').selectOption('own');
		await page.locator('#f-personal_data').selectOption('sensitive');
		await page.locator('#f-lifecycle').selectOption('planned');
		await field(page, 'Höjd nivå, konfidentialitet').fill('2');
		await activate(button(page, 'Spara'));
		await page.waitForSelector('.error-summary, [role=alert]', { timeout: WAIT_MS });
		tap.ok(/Ange varför nivån höjs/.test(await page.locator('main').innerText()),
			`${width} px: the system form says why it was refused`);
		tap.ok(await page.locator('fieldset.group legend', { hasText: 'Ansvar' }).count() === 1,
			`${width} px: the form groups its fields in fieldsets`);
		await noSidewaysScroll(page, `${width} px: the system form with errors`);
		await axe(page, `${width} px: the system form with errors`);
		await shot(page, `system-form-errors-${width}`);

		// a new system: "Ej klassad", never K0
		await field(page, 'Höjd nivå, konfidentialitet').fill('');
		await field(page, 'Namn').fill(`Nytt system ${width}`);
		await activate(button(page, 'Spara'));
		await page.waitForURL(/\/systems\/\d+(\?.*)?$/);
		const fresh = await page.locator('main').innerText();
		// covers R-3-04
		tap.ok(/Ej klassad/.test(fresh) && !/K0 R0 T0 S0/.test(fresh),
			`${width} px: a new system reads "Ej klassad", not K0 R0 T0 S0`);
		tap.ok(!/Skyddsnivån har ändrats/.test(fresh),
			`${width} px: a new system has no "level changed" banner`);
		await axe(page, `${width} px: a new system's page`);
		await noSidewaysScroll(page, `${width} px: a new system's page`);
		await shot(page, `system-new-${width}`);

		// an information set's page
		await page.goto(`${O}/information?search=${encodeURIComponent('Personakter socialtjänst')}`);
		await activate(page.getByRole('link', { name: 'Personakter socialtjänst', exact: true }).first());
		await page.waitForURL(/\/information\/\d+$/);
		tap.ok(/Bevarande och gallring/.test(await page.locator('main').innerText()),
			`${width} px: the information set's page has retention and disposal`);
		await noSidewaysScroll(page, `${width} px: an information set's page`);
		await axe(page, `${width} px: an information set's page`);
		await shot(page, `infoset-${width}`);
		await ctx.close();
	}
}

await lib.runTest(tap, 'the model browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
