// gap_overview.test.mjs - the gap overviews (issue 9, "Overviews"): the
// coordinator's /gap with the heat map (an image named by its title and
// described by its text alternative, the numbers in a table), each number
// a link that opens the list behind it, and /gap/systems with its filters
// working without JavaScript; at 1280 and 390 px without sideways
// scrolling; axe (WCAG 2.0/2.1 A and AA), no serious or critical finding.
// TAP.
//
//   VARN=build/varn node tests/browser/gap_overview.test.mjs
//   SCREENSHOT_DIR=/tmp/gap-shots VARN=build/varn node tests/browser/gap_overview.test.mjs
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
	Tap, activate, initDemo, launchBrowser, makeTemp, newContext, signIn, startServer, varnPath,
} = lib;

const RUN_LIMIT_MS = 180000;
const SHOTS = process.env.SCREENSHOT_DIR || '';

const tap = new Tap();
const tmp = makeTemp('varn-gap-overview-');
let server = null;
let browser = null;
const shot = lib.shooter(SHOTS);

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}`;

	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, demo.coordinator, demo.password);

	await page.goto(`${O}/gap`);
	tap.ok(await page.getByRole('heading', { level: 1, name: 'Gapanalys – översikt' }).count() === 1,
		'the overview has its heading');
	const heat = page.getByRole('img', { name: 'Täckning per område och nivå' });
	tap.ok(await heat.count() === 1, 'the heat map is an image named by its title');
	const desc = await heat.getAttribute('aria-describedby');
	const alt = desc ? await page.locator(`#${desc}`).innerText() : '';
	tap.ok(/krävda åtgärder/.test(alt), 'described by its text alternative', alt);
	const table = page.locator('table.gap-heat');
	tap.ok(await table.locator('tbody tr').count() === 14, 'the numbers table has a row per area');
	await lib.checkWidths(tap, AxeBuilder, page, 'gap overview', shot);

	// a number opens the list behind it, by keyboard
	const link = table.locator('tbody a').first();
	const n = Number((await link.innerText()).trim());
	await activate(link);
	await page.waitForURL(/\/assessments\?/);
	const count = await page.locator('p.count').innerText();
	tap.ok(Number(count.replace(/\D/g, '')) === n, `the number's list holds as many (${n}: ${count})`);

	await page.goto(`${O}/gap/systems`);
	tap.ok(await page.getByRole('heading', { level: 1, name: 'Systemens gap' }).count() === 1,
		'the systems list has its heading');
	tap.ok(await page.locator('table tbody tr').count() > 10, 'it lists the systems');
	await lib.checkWidths(tap, AxeBuilder, page, 'gap systems', shot);

	// the filter works without JavaScript: a GET form
	const nojs = await newContext(browser, server.base, { javaScriptEnabled: false });
	const p2 = await nojs.newPage();
	await signIn(p2, demo.coordinator, demo.password);
	await p2.goto(`${O}/gap/systems`);
	await p2.getByLabel('Visa').selectOption('not_assessed');
	await p2.getByRole('button', { name: 'Filtrera' }).click();
	await p2.waitForURL(/show=not_assessed/);
	tap.ok(await p2.locator('table tbody tr').count() > 0, 'without JavaScript: filtered by a kind of gap');
	await nojs.close();
	await ctx.close();
}

await lib.runTest(tap, 'the gap overview browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
