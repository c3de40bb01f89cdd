// report.test.mjs - reporting an incident (issue 11) in the browser: a
// plain employee (anvandare@exempelstad.se) on a phone-sized window (390 px)
// reports a lost laptop by keyboard only from the header's button, well
// inside a minute, sees the receipt number and what to do now, and finds
// the report under "Mina rapporter"; the coordinator turns the intake link
// on, and a person without an account reports through it with JavaScript
// off and gets the private status page.  Every page passes axe without
// serious findings and fits 390 px (R-8-01, R-8-02, R-8-04, R-8-09).  TAP.
//
//   VARN=build/varn node tests/browser/report.test.mjs
//   SCREENSHOT_DIR=/tmp node tests/browser/report.test.mjs  (/tmp/report-*.png)
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
	Tap, activate, button, checkWidths, field, fitsWidth, initDemo, launchBrowser, link,
	makeTemp, newContext, shooter, signIn, startServer, varnPath, waitForPath,
} = lib;

const RUN_LIMIT_MS = 240000;
const shot = shooter(process.env.SCREENSHOT_DIR || '');

const tap = new Tap();
const tmp = makeTemp('varn-report-');
let server = null;
let browser = null;

async function phoneChecks(page, what) {
	await shot(page, `${what}-390`);
	await tap.check(`axe (390 px): ${what}`, () => lib.axeSerious(AxeBuilder, page));
	await tap.check(`no sideways scroll (390 px): ${what}`, () => fitsWidth(page));
}

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}/`;

	// ---- the 60-second report on a phone, keyboard only ----
	const ctx = await newContext(browser, server.base, { viewport: { width: 390, height: 844 },
		isMobile: true, hasTouch: true });
	const page = await ctx.newPage();
	await signIn(page, demo.user, demo.password);
	const main = () => page.getByRole('main');
	const started = Date.now();
	const headerButton = page.locator('header .header-action', { hasText: 'Rapportera incident' });
	tap.ok(await headerButton.count() === 1, 'a "Rapportera incident" button in the header (R-8-02)');
	await activate(headerButton);
	await waitForPath(page, /\/report$/);
	await phoneChecks(page, 'report-form');
	// the category first: a radio button, chosen with the space bar
	const lost = page.getByLabel(/^Borttappad eller stulen utrustning/);
	await lost.focus();
	await page.keyboard.press('Space');
	tap.ok(await lost.isChecked(), 'the category chosen by keyboard');
	await field(page, 'Berätta kort vad som hände').fill('Jobbdatorn glömdes på buss 4 i morse. Den har elevlistor.');
	await field(page, 'Var hände det?').fill('Buss 4');
	const yes = page.locator('#personal_data-yes');
	await yes.focus();
	await page.keyboard.press('Space');
	tap.ok(await yes.isChecked(), 'personal data: yes');
	await activate(button(main(), 'Skicka rapporten'));
	await waitForPath(page, /\/report\/\d+$/);
	const secs = (Date.now() - started) / 1000;
	tap.ok(secs < 60, `reported in well under a minute (${secs.toFixed(1)} s of automation)`);
	const text = await main().innerText();
	const receipt = (text.match(/IN-\d{4}-\d{4}/) || [])[0];
	tap.ok(!!receipt, `the receipt number (${receipt})`);
	tap.ok(text.includes('fjärrraderas'), 'what to do now, for lost equipment');
	await phoneChecks(page, 'report-receipt');

	// "Mina rapporter"
	await activate(link(main(), 'Mina rapporter'));
	await waitForPath(page, /\/my-reports\/\d+$/);
	tap.ok((await main().innerText()).includes('Anmäld'), 'the report\'s state in words');
	await phoneChecks(page, 'report-status');
	await page.goto(`${O}my-reports`);
	tap.ok((await main().innerText()).includes(receipt), 'listed under Mina rapporter');
	await phoneChecks(page, 'report-mine');
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(`${O}report`);
	await shot(page, 'report-form-1280');
	await ctx.close();

	// ---- the intake link: turned on by the coordinator ----
	const cctx = await newContext(browser, server.base);
	const cp = await cctx.newPage();
	await signIn(cp, demo.coordinator, demo.password);
	await cp.goto(`${O}incident-settings`);
	await field(cp, 'Nivå 2').fill('tillbud');
	await cp.getByLabel('Anmälningslänken är på').check();
	await activate(button(cp.getByRole('main'), 'Spara inställningarna'));
	await waitForPath(cp, /\/incident-settings$/);
	const url = (await cp.locator('.ir-intake-url').innerText()).trim();
	tap.ok(/\/anmal\/[A-Za-z0-9_-]{43}$/.test(url), 'the intake link to publish');
	await checkWidths(tap, AxeBuilder, cp, 'report-settings', shot);
	const intakePath = new URL(url, server.base).pathname;
	await cctx.close();

	// axe on the public form (axe needs scripts), then the report without them
	const actx = await newContext(browser, server.base, { viewport: { width: 390, height: 844 } });
	const ap = await actx.newPage();
	await ap.goto(intakePath);
	await phoneChecks(ap, 'report-intake');
	await actx.close();
	const nctx = await newContext(browser, server.base, { javaScriptEnabled: false });
	const np = await nctx.newPage();
	await np.goto(intakePath);
	await np.getByLabel(/^Misstänkt e-post, sms eller länk/).check();
	await field(np, 'Berätta kort vad som hände').fill('Ett sms med en länk till en falsk inloggning.');
	await field(np, 'Ditt namn (frivilligt)').fill('Per Politiker');
	await activate(button(np.getByRole('main'), 'Skicka rapporten'));
	await waitForPath(np, /\/anmal\/[^/]+\/status\/[^/]+$/);
	const st = await np.getByRole('main').innerText();
	tap.ok(/IN-\d{4}-\d{4}/.test(st), 'without JavaScript: the receipt number');
	tap.ok(st.includes('Din privata statuslänk'), 'and the private status link');
	await shot(np, 'report-intake-status-1280');
	await nctx.close();
}

await lib.runTest(tap, 'the report browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
