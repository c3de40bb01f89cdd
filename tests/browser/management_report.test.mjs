// management_report.test.mjs - the report to management (issue 12, "The
// management report"): the coordinator reaches it from the menu by
// keyboard, picks a period (a preset, then their own days), sees every
// section's picture with its reading, and downloads the PDF and the Excel
// appendix; a shared coordinator chooses organisations by checkboxes; a
// recorded report's page links its period's report and PDF; the period
// form works without JavaScript; at 1280 and 390 px without sideways
// scrolling; axe (WCAG 2.0/2.1 A and AA), no serious or critical finding.
// TAP.
//
//   VARN=build/varn node tests/browser/management_report.test.mjs
//   SCREENSHOT_DIR=/tmp/mr-shots VARN=build/varn node tests/browser/management_report.test.mjs
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
	Tap, activate, initDemo, launchBrowser, makeTemp, menu, newContext, signIn, startServer, varnPath,
} = lib;

const RUN_LIMIT_MS = 180000;
const SHOTS = process.env.SCREENSHOT_DIR || '';

const tap = new Tap();
const tmp = makeTemp('varn-mgmt-report-');
let server = null;
let browser = null;
const shot = lib.shooter(SHOTS);

const SECTIONS = [
	'Klassning av systemen',
	'Brister per område och hur de har utvecklats',
	'Incidenter och rapporteringsplikter',
	'Handlingsplanens framsteg',
	'Driftgodkännanden',
	'Risker',
	'Uppföljning',
];

async function download(page, locator) {
	const [dl] = await Promise.all([page.waitForEvent('download'), locator.click()]);
	const path = await dl.path();
	const fs = await import('node:fs');
	const head = fs.readFileSync(path).subarray(0, 4).toString('latin1');
	return { name: dl.suggestedFilename(), head };
}

async function sectionsShown(page, what) {
	for (const h of SECTIONS)
		tap.ok(await page.getByRole('heading', { level: 2, name: h }).count() === 1, `${what}: ${h}`);
	tap.ok(await page.locator('section.rp-section svg[role="img"]').count() === SECTIONS.length,
		`${what}: a picture per section`);
	tap.ok(await page.locator('p.rp-reading').count() === SECTIONS.length, `${what}: a reading per section`);
}

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}`;

	// covers R-15-08, R-15-13
	const ctx = await newContext(browser, server.base, { acceptDownloads: true });
	const page = await ctx.newPage();
	await signIn(page, demo.coordinator, demo.password);
	await activate(lib.link(menu(page), 'Ledningsrapport'));
	await page.waitForURL(new RegExp(`${O}/management-report$`));
	tap.ok(await page.getByRole('heading', { level: 1, name: 'Rapport till ledningen' }).count() === 1,
		'the menu leads to the report');
	tap.ok(await page.getByRole('radio', { name: 'Förra kvartalet' }).isChecked(),
		'the last quarter by default');
	await sectionsShown(page, 'the last quarter');
	await lib.checkWidths(tap, AxeBuilder, page, 'management report', shot);

	// a preset, by keyboard
	await page.getByRole('radio', { name: 'Förra året' }).check();
	await activate(lib.button(page, 'Visa rapporten'));
	await page.waitForURL(/preset=last-year/);
	const year = new Date().getFullYear() - 1;
	tap.ok((await page.locator('p.rp-period-text').innerText()).includes(`${year}-01-01 – ${year}-12-31`),
		`last year is ${year}`);

	// their own days
	await page.getByRole('radio', { name: 'Egen period' }).check();
	await lib.field(page, 'Från och med').fill(`${year}-03-01`);
	await lib.field(page, 'Till och med').fill(`${year}-05-31`);
	await activate(lib.button(page, 'Visa rapporten'));
	await page.waitForURL(/preset=custom/);
	tap.ok((await page.locator('p.rp-period-text').innerText()).includes(`${year}-03-01 – ${year}-05-31`),
		'their own period');
	await sectionsShown(page, 'their own period');

	// a day that does not exist: said in Swedish, at the fields
	await page.getByRole('radio', { name: 'Egen period' }).check();
	await lib.field(page, 'Till och med').fill('');
	await activate(lib.button(page, 'Visa rapporten'));
	await page.waitForURL(/preset=custom/);
	tap.ok(await page.getByRole('alert').filter({ hasText: 'Ange datum som ÅÅÅÅ-MM-DD' }).count() === 1,
		'a missing day is answered in Swedish');

	// the PDF and the appendix of the period shown
	await page.goto(`${O}/management-report?preset=last-quarter`);
	const pdf = await download(page, page.getByRole('link', { name: 'Ladda ned som PDF' }));
	tap.ok(pdf.head === '%PDF' && /^ledningsrapport-exempelstad-.*\.pdf$/.test(pdf.name),
		`the PDF downloads (${pdf.name})`);
	const xlsx = await download(page, page.getByRole('link', { name: 'Siffrorna som Excel-bilaga' }));
	tap.ok(xlsx.head.startsWith('PK') && /\.xlsx$/.test(xlsx.name), `the appendix downloads (${xlsx.name})`);

	// several organisations, chosen by checkboxes
	await activate(page.getByRole('link', { name: 'Rapport för flera av dina organisationer' }));
	await page.waitForURL(/\/management-report\?/);
	tap.ok(await page.getByRole('heading', { level: 2, name: 'Grannby kommun' }).count() === 1,
		'both organisations');
	await page.getByRole('checkbox', { name: 'Exempelstads kommun' }).uncheck();
	await activate(lib.button(page, 'Visa rapporten'));
	await page.waitForURL(/org=grannby/);
	tap.ok(await page.getByRole('heading', { level: 2, name: 'Exempelstads kommun' }).count() === 0 &&
		await page.getByRole('heading', { level: 2, name: 'Grannby kommun' }).count() === 1,
		'only the one chosen');
	await lib.checkWidths(tap, AxeBuilder, page, 'management report of several', shot);

	// covers R-15-09: the recorded report links its period's report
	await page.goto(`${O}/`);
	await activate(lib.link(menu(page), 'Ledningens genomgångar'));
	await page.waitForURL(new RegExp(`${O}/management-reports`));
	await activate(page.getByRole('link', { name: 'Rapport till ledningens genomgång' }).first());
	await page.waitForURL(/\/management-reports\/\d+$/);
	tap.ok(await page.getByRole('heading', { name: 'Beslutsärenden' }).count() >= 1, 'its decision items');
	await lib.checkWidths(tap, AxeBuilder, page, 'management review record', shot);
	const own = await download(page, page.getByRole('link', { name: 'Ladda ned rapporten som PDF' }));
	tap.ok(own.head === '%PDF', 'its PDF downloads');
	await activate(page.getByRole('link', { name: /Visa rapportens bilder/ }));
	await page.waitForURL(/management-report\?preset=custom/);
	await sectionsShown(page, 'its period');

	// without JavaScript the form is the same form
	const nojs = await newContext(browser, server.base, { javaScriptEnabled: false });
	const p2 = await nojs.newPage();
	await signIn(p2, demo.coordinator, demo.password);
	await p2.goto(`${O}/management-report`);
	await p2.getByRole('radio', { name: 'Förra halvåret' }).check();
	await p2.getByRole('button', { name: 'Visa rapporten' }).click();
	await p2.waitForURL(/preset=last-half/);
	tap.ok(await p2.locator('section.rp-section svg').count() === SECTIONS.length,
		'without JavaScript: a period chosen, the pictures shown');
	await nojs.close();

	// a plain user is not offered it
	const u = await newContext(browser, server.base);
	const p3 = await u.newPage();
	await signIn(p3, demo.user, demo.password);
	tap.ok(await lib.link(menu(p3), 'Ledningsrapport').count() === 0, 'a plain user has no report in the menu');
	await u.close();
	await ctx.close();
}

await lib.runTest(tap, 'the management report browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
