// charts.test.mjs - the start page's pictures (issue 8, "Pictures"): the
// coordinator's overview shows the protection levels per aspect and the
// classification coverage as images with a name and a text alternative,
// each with its numbers in a table that opens without JavaScript; a plain
// user gets no pictures; at 1280 and 390 px without sideways scrolling;
// axe (WCAG 2.0/2.1 A and AA), no serious or critical finding.  TAP.
//
//   VARN=build/varn node tests/browser/charts.test.mjs
//   SCREENSHOT_DIR=/tmp/chart-shots VARN=build/varn node tests/browser/charts.test.mjs
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
	Tap, activate, axeSerious, initDemo, launchBrowser, makeTemp, newContext,
	signIn, startServer, varnPath,
} = lib;

const RUN_LIMIT_MS = 180000;
const SHOTS = process.env.SCREENSHOT_DIR || '';
const WIDTHS = [1280, 390];

const tap = new Tap();
const tmp = makeTemp('varn-charts-');
let server = null;
let browser = null;

async function noSidewaysScroll(page, what) {
	return tap.check(`${what}: no sideways scrolling`, () => lib.fitsWidth(page));
}

const shot = lib.shooter(SHOTS);

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}/`;

	for (const width of WIDTHS) {
		const ctx = await newContext(browser, server.base, { viewport: { width, height: 900 } });
		const page = await ctx.newPage();
		await signIn(page, demo.coordinator, demo.password);
		await page.goto(O);
		const levels = page.getByRole('img', { name: 'Skyddsnivåer per aspekt' });
		const coverage = page.getByRole('img', { name: 'Klassad information i systemen' });
		tap.ok(await levels.count() === 1 && await coverage.count() === 1,
			`${width} px: the coordinator's start page has both pictures, named`);
		const desc = await levels.getAttribute('aria-describedby');
		const alt = desc ? await page.locator(`#${desc}`).innerText() : '';
		tap.ok(/system fördelar sig på skyddsnivå/.test(alt),
			`${width} px: the levels picture is described by its text alternative`, alt);
		const sections = page.locator('.home-charts section');
		const table = sections.first().locator('table');
		tap.ok(!(await table.isVisible()), `${width} px: the numbers are folded away at first`);
		await activate(sections.first().locator('summary'));
		tap.ok(await table.isVisible(), `${width} px: "Visa siffrorna" opens the table by keyboard`);
		const rows = await table.locator('tbody tr').count();
		const caption = await table.locator('caption').innerText();
		tap.ok(rows === 4 && /Skyddsnivåer per aspekt/.test(caption),
			`${width} px: a row per aspect, the picture's title as caption (${rows})`);
		// the table's totals add up to the systems counted (every aspect)
		const totals = await table.locator('tbody tr td:last-child').allInnerTexts();
		tap.ok(totals.length === 4 && totals.every((t) => t === totals[0]) && Number(totals[0].replace(/\s/g, '')) > 0,
			`${width} px: each aspect counts every live system (${totals.join(', ')})`);
		await activate(sections.nth(1).locator('summary'));
		await noSidewaysScroll(page, `${width} px: the start page with pictures`);
		await tap.check(`${width} px: axe on the start page with pictures, tables open`,
			() => axeSerious(AxeBuilder, page));
		await shot(page, `start-charts-${width}`);
		if (SHOTS)
			await sections.first().screenshot({ path: `${SHOTS}/chart-levels-${width}.png` });
		await ctx.close();
	}

	// without JavaScript the toggle still works: it is a <details>
	{
		const ctx = await newContext(browser, server.base, { javaScriptEnabled: false });
		const page = await ctx.newPage();
		await signIn(page, demo.coordinator, demo.password);
		await page.goto(O);
		const sec = page.locator('.home-charts section').nth(1);
		const before = await sec.locator('table').isVisible();
		await sec.locator('summary').click();
		tap.ok(!before && await sec.locator('table').isVisible(),
			'without JavaScript: "Visa siffrorna" opens the coverage numbers');
		await ctx.close();
	}

	// a plain user has no pictures
	{
		const ctx = await newContext(browser, server.base);
		const page = await ctx.newPage();
		await signIn(page, demo.user, demo.password);
		await page.goto(O);
		tap.ok(await page.locator('.home-charts').count() === 0 &&
			await page.getByRole('img', { name: 'Skyddsnivåer per aspekt' }).count() === 0,
			'a plain user gets no pictures');
		await ctx.close();
	}
}

await lib.runTest(tap, 'the chart browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
