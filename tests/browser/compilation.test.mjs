// compilation.test.mjs - the incidents' compilation for management (issue
// 11) in the browser, on the demo's year of incidents: management (the
// chief executive) opens it from the menu; it passes axe at 1280 and 390 px
// without sideways scrolling; the pictures have text alternatives and
// their numbers; a period is chosen by keyboard alone and the page says
// what it compares; the seed 004 compilation states its rules (R-8-24,
// R-8-25, R-8-26); the CSV link answers; the coordinator's overview shows
// the incidents' section; a plain employee cannot open it.  TAP.
//
//   VARN=build/varn node tests/browser/compilation.test.mjs
//   SCREENSHOT_DIR=/tmp node tests/browser/compilation.test.mjs  (/tmp/compilation-*.png)
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
	Tap, activate, button, checkWidths, field, initDemo, launchBrowser, link, makeTemp, menu,
	newContext, shooter, signIn, startServer, varnPath, waitForPath,
} = lib;

const RUN_LIMIT_MS = 180000;
const shot = shooter(process.env.SCREENSHOT_DIR || '');

const tap = new Tap();
const tmp = makeTemp('varn-compilation-');
let server = null;
let browser = null;

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}/`;

	// management opens it from the menu
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, 'kommunchef@exempelstad.se', demo.password);
	await page.goto(O);
	await activate(link(menu(page), 'Sammanställning av incidenter'));
	await waitForPath(page, /\/incidents\/compilation$/);
	const main = page.getByRole('main');
	tap.ok(await page.getByRole('heading', { level: 1, name: 'Sammanställning av incidenter' }).count() === 1,
		'the chief executive opens the compilation from the menu');
	const text = await main.innerText();
	tap.ok(/Intrång och försök till intrång/.test(text) &&
		/kategorierna obehörig åtkomst, skadlig kod, nätfiske och misstänkt samtal/.test(text),
		'R-8-24: intrusions and attempts, with the rule');
	tap.ok(/Brott mot lagar och interna regler/.test(text) && /rapporteringsplikt besvarad med ja/.test(text),
		'R-8-25: breaches of law and rules, with the rule');
	tap.ok(/betydande störningar/.test(text) && /eskalerad till krisorganisationen/.test(text),
		'R-8-26: significant disruption, with the rule');
	const svgs = page.locator('svg[role="img"]');
	tap.ok(await svgs.count() >= 2, 'pictures');
	const named = await svgs.evaluateAll((l) => l.every((s) => s.getAttribute('aria-labelledby') || s.getAttribute('aria-label') || s.querySelector('title')));
	tap.ok(named, 'each picture is named');
	tap.ok(await page.locator('details summary', { hasText: 'Visa siffrorna' }).count() >= 2,
		'with its numbers as a table');
	await checkWidths(tap, AxeBuilder, page, 'compilation', shot);

	// a period by keyboard alone
	await field(page, 'Från månad').focus();
	await page.keyboard.press('Control+A');
	await page.keyboard.type('2026-07');
	await page.keyboard.press('Tab');
	await page.keyboard.press('Control+A');
	await page.keyboard.type('2026-09');
	await activate(button(main, 'Visa'));
	await page.waitForURL(/from=2026-07/);
	tap.ok((await main.innerText()).includes('jämförs med 2026-04 – 2026-06'),
		'a quarter, compared with the quarter before');

	const csv = await page.request.get(await link(main, 'CSV').getAttribute('href'));
	tap.ok(csv.status() === 200 && (await csv.text()).includes('Intrång och försök till intrång'),
		'the numbers as CSV');
	await ctx.close();

	// the coordinator's overview
	const cctx = await newContext(browser, server.base);
	const cp = await cctx.newPage();
	await signIn(cp, demo.coordinator, demo.password);
	await cp.goto(`${O}overview`);
	tap.ok((await cp.getByRole('main').innerText()).includes('Rapporterade denna månad'),
		'the coordinator\'s overview has the incidents\' section');
	await tap.check('axe on the overview', () => lib.axeSerious(AxeBuilder, cp));
	await cctx.close();

	// not for a plain employee
	const uctx = await newContext(browser, server.base);
	const up = await uctx.newPage();
	await signIn(up, demo.user, demo.password);
	const r = await up.goto(`${O}incidents/compilation`);
	tap.ok(r.status() === 403, 'a plain employee is refused');
	await uctx.close();
}

await lib.runTest(tap, 'the incident compilation browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
