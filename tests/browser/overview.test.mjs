// overview.test.mjs - the coordinator's overview (issue 10, "The
// coordinator's overview"): reached from the menu by keyboard, each number
// a link that opens the list behind it with as many rows; the shared
// coordinator's organisations side by side, reached from the choice of
// organisation, with a number of the second organisation opening its own
// list; working without JavaScript; at 1280 and 390 px without sideways
// scrolling; axe (WCAG 2.0/2.1 A and AA), no serious or critical finding.
// TAP.
//
//   VARN=build/varn node tests/browser/overview.test.mjs
//   SCREENSHOT_DIR=/tmp/ov-shots VARN=build/varn node tests/browser/overview.test.mjs
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
const tmp = makeTemp('varn-overview-');
let server = null;
let browser = null;
const shot = lib.shooter(SHOTS);

const countOf = async (page) => Number((await page.locator('p.count').innerText()).replace(/\D/g, ''));

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}`;

	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, demo.coordinator, demo.password);

	// from the menu, by keyboard
	await activate(lib.link(menu(page), 'Översikt'));
	await page.waitForURL(new RegExp(`${O}/overview$`));
	tap.ok(await page.getByRole('heading', { level: 1, name: /Översikt över informations/ }).count() === 1,
		'the menu leads to the overview');
	for (const h of ['Systemen efter skyddsnivå', 'Klassning och omprövning', 'Handlingsplanen'])
		tap.ok(await page.getByRole('heading', { level: 2, name: h }).count() === 1, `a section: ${h}`);
	tap.ok(await page.getByRole('heading', { level: 2, name: /^Gap per område/ }).count() === 1,
		'a section: gaps by area');
	await lib.checkWidths(tap, AxeBuilder, page, 'overview', shot);

	// a level's number opens the systems at that level
	const l3 = page.getByRole('link', { name: /Nivå 3 – allvarlig/ });
	const n3 = Number((await l3.locator('.num').innerText()).trim());
	tap.ok(n3 > 0, `level 3 has systems (${n3})`);
	await activate(l3);
	await page.waitForURL(/\/systems\?level_max=3/);
	tap.ok(await countOf(page) === n3, 'its list holds as many');

	// the systems without a level, marked in words
	await page.goto(`${O}/overview`);
	const none = page.getByRole('link', { name: /Utan skyddsnivå/ });
	const nn = Number((await none.locator('.num').innerText()).trim());
	const li = page.locator('li', { has: none });
	tap.ok(/behöver åtgärdas/.test(await li.innerText()), 'a number that ought to be zero is marked in words');
	await activate(none);
	await page.waitForURL(/level_max=none/);
	tap.ok(await countOf(page) === nn, `the systems without a level: as many (${nn})`);

	// the shared coordinator's side by side, from the choice of organisation
	await page.goto('/');
	await activate(page.getByRole('link', { name: /Jämför dina 2 organisationer/ }));
	await page.waitForURL(/\/overview$/);
	tap.ok(await page.getByRole('heading', { level: 1, name: 'Dina organisationer sida vid sida' }).count() === 1,
		'the side-by-side page');
	const table = page.getByRole('region', { name: 'Systemen efter skyddsnivå' }).locator('table');
	tap.ok(await table.locator('thead th').count() === 3, 'a column per organisation');
	await lib.checkWidths(tap, AxeBuilder, page, 'overview side by side', shot);
	const g = table.locator('a[href^="/o/grannby/systems?level_max="]').first();
	const gn = Number((await g.locator('.num').innerText()).trim());
	await activate(g);
	await page.waitForURL(/\/o\/grannby\/systems\?level_max=/);
	tap.ok(await countOf(page) === gn, `a number of the second organisation opens its own list (${gn})`);

	// without JavaScript the page is the same page
	const nojs = await newContext(browser, server.base, { javaScriptEnabled: false });
	const p2 = await nojs.newPage();
	await signIn(p2, demo.coordinator, demo.password);
	await p2.goto(`${O}/overview`);
	tap.ok(await p2.locator('ul.ov-figures a').count() > 20, 'without JavaScript: the numbers and their links');
	await nojs.close();

	// a plain user is not offered it
	const u = await newContext(browser, server.base);
	const p3 = await u.newPage();
	await signIn(p3, 'anvandare@exempelstad.se', demo.password);
	tap.ok(await lib.link(menu(p3), 'Översikt').count() === 0, 'a plain user has no overview in the menu');
	await u.close();
	await ctx.close();
}

await lib.runTest(tap, 'the overview browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
