// risks.test.mjs - risk analysis (issue 12) in the browser: the
// coordinator starts an analysis of a demo system, takes the threats of its
// security plan as risks (R-7-02), adds a risk linked to the system
// (R-7-01), records the conscious decision to accept one (R-7-05), turns two
// into activities of the action plan, and sees the heat maps before and
// after treatment; the risk model, the analysis, a risk, the register and
// the organisation's heat maps pass axe at 1280 and 390 px without
// sideways scrolling.  TAP.
//
//   VARN=build/varn node tests/browser/risks.test.mjs
//   SCREENSHOT_DIR=/tmp node tests/browser/risks.test.mjs  (/tmp/risks-*.png)
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
	Tap, activate, button, checkWidths, field, initDemo, launchBrowser, link, makeTemp,
	newContext, shooter, signIn, startServer, varnPath, waitForPath,
} = lib;

const RUN_LIMIT_MS = 240000;
const shot = shooter(process.env.SCREENSHOT_DIR || '');

const tap = new Tap();
const tmp = makeTemp('varn-risks-');
let server = null;
let browser = null;

async function makeAction(page, riskUrl, title) {
	await page.goto(riskUrl);
	const main = page.getByRole('main');
	await field(main, 'Åtgärd').fill(title);
	await activate(button(main, 'Gör till åtgärd'));
	await waitForPath(page, /\/risks\/\d+$/);
	return (await page.getByRole('main').innerText()).includes(title);
}

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}/`;
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, demo.coordinator, demo.password);

	// the model
	await page.goto(`${O}risk-model`);
	tap.ok((await page.getByRole('main').innerText()).includes('Acceptanskriterier'),
		'the risk model with its acceptance criteria');
	await checkWidths(tap, AxeBuilder, page, 'risks-model', shot);

	// a new analysis of a demo system, by keyboard
	await page.goto(`${O}risk-analyses`);
	await activate(link(page.getByRole('main'), 'Ny riskanalys'));
	await waitForPath(page, /\/risk-analyses\/new$/);
	const form = page.getByRole('main');
	await field(form, 'Namn').fill('Riskanalys Trygghetslarm');
	await field(form, 'Vad analysen gäller').selectOption({ label: 'System' });
	await field(form, 'System').selectOption({ label: 'Trygghetslarm' });
	await field(form, 'Deltagare').fill('Systemägaren, larmcentralen, samordnaren');
	await shot(page, 'risks-new-analysis-1280');
	await tap.check('axe on the new analysis form', () => lib.axeSerious(AxeBuilder, page));
	await activate(button(form, 'Spara'));
	await waitForPath(page, /\/risk-analyses\/\d+$/);
	const analysisUrl = page.url().replace(/[?#].*$/, '');
	tap.ok((await page.getByRole('main').innerText()).includes('Riskanalys Trygghetslarm'),
		'the analysis is made');

	// the threats of the system's security plan
	// covers R-7-02
	await activate(button(page.getByRole('main'), 'Hämta hot från systemsäkerhetsplanen'));
	await waitForPath(page, /\/risk-analyses\/\d+$/);
	const risks = page.locator('#rk-risks').locator('xpath=..').locator('tbody tr');
	const imported = await risks.count();
	tap.ok(imported >= 2, `the plan's threats are risks of the analysis (${imported})`);

	// a risk of our own, linked to the system
	// covers R-7-01
	await activate(link(page.getByRole('main'), 'Ny risk'));
	await waitForPath(page, /\/risks\/new$/);
	const rf = page.getByRole('main');
	await field(rf, 'Risk').fill('Larmdosor utan reservström');
	await field(rf, 'På grund av').fill('Strömavbrott hos brukaren');
	await field(rf, 'Kan hända').fill('Larmet når inte fram');
	await field(rf, 'Vilket leder till').fill('Brukaren får ingen hjälp');
	await field(rf, 'Tillgänglighet').check();
	await field(rf, 'System').selectOption({ label: 'Trygghetslarm' });
	await field(rf, 'Konsekvens').selectOption({ label: 'Mycket allvarlig' });
	await field(rf, 'Sannolikhet').selectOption({ label: 'Sannolik' });
	await field(rf, 'Hantering').selectOption({ label: 'Reducera' });
	await field(rf, 'Motivering och åtgärder').fill('Dosor med batteri byts in.');
	await field(rf, 'Konsekvens efter åtgärder').selectOption({ label: 'Mycket allvarlig' });
	await field(rf, 'Sannolikhet efter åtgärder').selectOption({ label: 'Osannolik' });
	await shot(page, 'risks-new-risk-1280');
	await tap.check('axe on the new risk form', () => lib.axeSerious(AxeBuilder, page));
	await activate(button(rf, 'Spara'));
	await waitForPath(page, /\/risk-analyses\/\d+$/);
	await activate(link(page.getByRole('main'), 'Larmdosor utan reservström'));
	await waitForPath(page, /\/risks\/\d+$/);
	const riskUrl = page.url().replace(/[?#].*$/, '');
	const rtext = await page.getByRole('main').innerText();
	tap.ok(rtext.includes('Mycket hög') && rtext.includes('Medel'),
		'its level before (very high) and after (medium) computed from the model');
	await checkWidths(tap, AxeBuilder, page, 'risks-risk', shot);

	// two risks made activities of the action plan
	tap.ok(await makeAction(page, riskUrl, 'Byt till larmdosor med batteri'),
		'the first risk lists its activity');
	await page.goto(analysisUrl);
	const firstImported = page.locator('#rk-risks').locator('xpath=..').locator('tbody tr th a').first();
	await activate(firstImported);
	await waitForPath(page, /\/risks\/\d+$/);
	const second = page.url().replace(/[?#].*$/, '');
	tap.ok(await makeAction(page, second, 'Avtal om reservväg till larmcentralen'),
		'the second risk lists its activity');

	// an imported risk assessed and accepted: the conscious risk decision
	// covers R-7-05
	await page.goto(analysisUrl);
	await activate(page.locator('#rk-risks').locator('xpath=..').locator('tbody tr th a').last());
	await waitForPath(page, /\/risks\/\d+$/);
	const acceptUrl = page.url().replace(/[?#].*$/, '');
	await activate(link(page.getByRole('main'), 'Ändra'));
	await waitForPath(page, /\/edit$/);
	await field(page.getByRole('main'), 'Konsekvens').selectOption({ label: 'Begränsad' });
	await field(page.getByRole('main'), 'Sannolikhet').selectOption({ label: 'Möjlig' });
	await activate(button(page.getByRole('main'), 'Spara'));
	await waitForPath(page, /\/risks\/\d+$/);
	await page.goto(acceptUrl);
	await activate(link(page.getByRole('main'), 'Acceptera risken'));
	await waitForPath(page, /\/accept$/);
	await field(page.getByRole('main'), 'Varför risken accepteras').fill('Liten risk, larmcentralen bevakar.');
	await activate(button(page.getByRole('main'), 'Acceptera risken'));
	await page.waitForLoadState();
	tap.ok(await page.locator('.error-summary, [role="alert"]').count() >= 1,
		'the coordinator must name who decided');
	await tap.check('axe on the refused acceptance', () => lib.axeSerious(AxeBuilder, page));
	await field(page.getByRole('main'), 'På uppdrag av').fill('Systemägaren Anders Åkesson');
	await shot(page, 'risks-accept-1280');
	await activate(button(page.getByRole('main'), 'Acceptera risken'));
	await waitForPath(page, /\/risks\/\d+$/);
	const atext = await page.getByRole('main').innerText();
	tap.ok(atext.includes('Accepterad') && atext.includes('Systemägaren Anders Åkesson'),
		'accepted: who decided, when, why and until when are kept');

	// the heat maps
	await page.goto(analysisUrl);
	const m = page.getByRole('main');
	tap.ok(await m.getByRole('heading', { name: 'Före åtgärder' }).count() === 1 &&
	       await m.getByRole('heading', { name: 'Efter åtgärder' }).count() === 1,
		'the heat maps before and after treatment');
	tap.ok(await m.locator('svg').count() >= 2, 'drawn');
	await checkWidths(tap, AxeBuilder, page, 'risks-analysis', shot);
	await page.goto(`${O}risk-overview`);
	tap.ok(await page.getByRole('main').locator('svg').count() >= 2,
		'the organisation\'s heat maps');
	await checkWidths(tap, AxeBuilder, page, 'risks-overview', shot);
	await page.goto(`${O}risks?residual_level=4`);
	await checkWidths(tap, AxeBuilder, page, 'risks-register', shot);
	await page.goto(`${O}documents/risk-analysis?id=${analysisUrl.match(/(\d+)$/)[1]}`);
	tap.ok((await page.getByRole('main').innerText()).includes('Larmdosor utan reservström'),
		'the print view of the analysis');
	await tap.check('axe on the print view', () => lib.axeSerious(AxeBuilder, page));
	await shot(page, 'risks-print-1280');

	// the start page's picture and the coordinator's overview
	await page.goto(O);
	tap.ok(await page.getByRole('main').getByRole('heading', { name: 'Risker efter åtgärder' }).count() === 1,
		'the start page shows the risks after treatment');
	await shot(page, 'risks-start-1280');
	await page.goto(`${O}overview`);
	tap.ok((await page.getByRole('main').innerText()).includes('Höga efter åtgärder'),
		'the overview\'s risk figures');
	await shot(page, 'risks-overview-section-1280');
	await ctx.close();
}

await lib.runTest(tap, 'the risk analysis browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
