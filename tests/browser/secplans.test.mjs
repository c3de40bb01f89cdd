// secplans.test.mjs - the system security plan (issue 10) in the browser:
// the system owner's start page tells of a plan to finish and sign and the
// list behind the line holds it; the plan's page (its state, what Värn
// knows about the system, its sections) passes axe at 1280 and 390 px
// without sideways scrolling; by keyboard alone the owner writes the
// threats and the access profiles, signs, and starts a new version; the
// system's page shows the plan's panel; the coordinator's list of plans
// overdue for review and the print view pass axe.
// covers R-5-01, R-5-06, R-5-07, R-5-25, R-5-26.  TAP.
//
//   VARN=build/varn node tests/browser/secplans.test.mjs
//   SCREENSHOT_DIR=/tmp node tests/browser/secplans.test.mjs  (/tmp/secplans-*.png)
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
	Tap, activate, button, checkWidths, field, h1, initDemo, launchBrowser, link, makeTemp,
	newContext, shooter, signIn, startServer, varnPath, waitForPath,
} = lib;

const RUN_LIMIT_MS = 240000;
const shot = shooter(process.env.SCREENSHOT_DIR || '');

const tap = new Tap();
const tmp = makeTemp('varn-secplans-');
let server = null;
let browser = null;

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}/`;

	// the owner: the start page's line and the list behind it (R-5-01)
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, 'socialchef@exempelstad.se', demo.password);
	await page.goto(O);
	const line = page.locator('ul.waiting a', { hasText: /säkerhetsplan att skriva klart och signera/ });
	tap.ok(await line.count() === 1, 'the owner is told of a plan to finish and sign');
	await activate(line);
	await waitForPath(page, /\/security-plan-lists$/);
	const rows = page.locator('main table a[href*="/security-plans/"]');
	tap.ok(await rows.count() === 1, 'the list behind it holds it');
	await tap.check('axe on the list', () => lib.axeSerious(AxeBuilder, page));
	await activate(rows.first());
	await waitForPath(page, /\/security-plans\/\d+$/);
	const planUrl = page.url();
	const main = page.getByRole('main');
	tap.ok(await main.getByRole('heading', { name: 'Det Värn vet om systemet' }).count() === 1,
		'the plan shows what Värn knows about the system');
	tap.ok((await main.innerText()).includes('Utkast'), 'a draft');
	await checkWidths(tap, AxeBuilder, page, 'secplans-draft', shot);

	// written section by section, by keyboard (R-5-06, R-5-07)
	await activate(link(main, 'Ändra'));
	await waitForPath(page, /\/edit$/);
	tap.ok(await page.locator('legend', { hasText: 'Hotbild' }).count() === 1, 'the form has its sections');
	await shot(page, 'secplans-form-1280');
	await tap.check('axe on the form', () => lib.axeSerious(AxeBuilder, page));
	await field(page, 'Hot mot informationen').fill('Obehörig åtkomst till uppgifter om barn.');
	await field(page, 'Behörighetsprofiler').fill('Handläggare, enhetschef, systemförvaltare.');
	await activate(button(page.getByRole('main'), 'Spara'));
	await waitForPath(page, /\/security-plans\/\d+$/);
	tap.ok((await page.getByRole('main').innerText()).includes('Handläggare, enhetschef'),
		'saved');

	// signed by the owner (R-5-25)
	await activate(link(page.getByRole('main'), 'Signera planen'));
	await page.waitForLoadState();
	await shot(page, 'secplans-sign-1280');
	await tap.check('axe on signing', () => lib.axeSerious(AxeBuilder, page));
	await activate(button(page.getByRole('main'), 'Signera planen'));
	await waitForPath(page, /\/security-plans\/\d+$/);
	tap.ok((await page.getByRole('main').innerText()).includes('Signerad'), 'signed');
	await checkWidths(tap, AxeBuilder, page, 'secplans-signed', shot);

	// a new version (R-5-26)
	await activate(button(page.getByRole('main'), 'Gör en ny version'));
	await waitForPath(page, /\/security-plans\/\d+$/);
	tap.ok(page.url().split('?')[0] !== planUrl.split('?')[0], 'a new version has a page of its own');
	tap.ok((await page.getByRole('main').innerText()).includes('Utkast'), 'as a draft');
	tap.ok(await page.getByRole('heading', { name: 'Versioner' }).count() === 1, 'naming the versions');

	// the panel on the system's page
	await activate(link(page.getByRole('main'), 'Verksamhetssystem IFO').first());
	await waitForPath(page, /\/systems\/\d+$/);
	tap.ok(await page.getByRole('heading', { name: 'Systemsäkerhetsplan' }).count() === 1,
		'the system\'s page has the plan\'s panel');
	await shot(page, 'secplans-system-panel-1280');
	await tap.check('axe on the system\'s page', () => lib.axeSerious(AxeBuilder, page));
	await ctx.close();

	// the coordinator: plans overdue for review, and the print view
	const cctx = await newContext(browser, server.base);
	const cp = await cctx.newPage();
	await signIn(cp, demo.coordinator, demo.password);
	await cp.goto(O);
	const over = cp.locator('ul.waiting a', { hasText: /försenad granskning/ });
	tap.ok(await over.count() === 1, 'the coordinator is told of a plan overdue for review');
	await activate(over);
	await waitForPath(cp, /\/security-plan-lists$/);
	tap.ok(await cp.locator('main table a[href*="/security-plans/"]').count() >= 1, 'the list holds it');
	await checkWidths(tap, AxeBuilder, cp, 'secplans-overdue', shot);
	await activate(cp.locator('main table a[href*="/security-plans/"]').first());
	await waitForPath(cp, /\/security-plans\/\d+$/);
	await activate(link(cp.getByRole('main'), 'Utskriftsvy'));
	await waitForPath(cp, /\/documents\/security-plan$/);
	tap.ok((await cp.getByRole('main').innerText()).includes('Underskrift'), 'the print view with its signature block');
	await tap.check('axe on the print view', () => lib.axeSerious(AxeBuilder, cp));
	await shot(cp, 'secplans-print-1280');
	await cctx.close();
	void h1;
}

await lib.runTest(tap, 'the security plan browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
