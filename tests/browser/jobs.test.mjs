// jobs.test.mjs - the jobs page as an administrator meets it (issue 8,
// scheduled work): the demo server runs its due jobs by itself, the
// administrator finds "Schemalagda jobb" in the menu, sees each job's
// Swedish name, period in words and outcome, opens a job's runs; axe
// (WCAG 2.0/2.1 A and AA) on both pages at 1280 and 390 px, no serious or
// critical finding, no sideways scrolling at 390 px; a plain user may not
// open it.  TAP on stdout.
//
//   VARN=build/varn node tests/browser/jobs.test.mjs
//   JOBS_SHOTS=/tmp/jobs-shots VARN=build/varn node tests/browser/jobs.test.mjs

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
	Tap, WAIT_MS, activate, initDemo, launchBrowser, makeTemp, newContext,
	signIn, startServer, varnPath,
} = lib;

const RUN_LIMIT_MS = 150000;
const SHOTS = process.env.JOBS_SHOTS || '';
const O = '/o/exempelstad';

const tap = new Tap();
const tmp = makeTemp('varn-jobs-');
let server = null;
let browser = null;

const shot = lib.shooter(SHOTS);

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);

	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, demo.admin, demo.password);
	const g = tap.group('administrator');
	await g.step('finds "Schemalagda jobb" in the menu', async () => {
		await activate(page.getByRole('navigation', { name: 'Huvudmeny' })
			.getByRole('link', { name: 'Schemalagda jobb' }));
		await page.waitForURL(/\/jobs$/, { timeout: WAIT_MS });
		return true;
	});
	await g.step('the server ran its daily job by itself: "Klar"', async () => {
		for (let i = 0; i < 20; i++) {
			const t = await page.locator('main').innerText();
			if (/Rensa utgångna inloggningar/.test(t) && /Dagligen/.test(t) && /Klar/.test(t))
				return true;
			await page.waitForTimeout(500);
			await page.reload();
		}
		return { fail: await page.locator('main').innerText() };
	});
	await lib.checkWidths(tap, AxeBuilder, page, 'jobs page', shot);
	await g.step("opens the job's runs", async () => {
		await page.setViewportSize({ width: 1280, height: 900 });
		await activate(page.getByRole('link', { name: 'Rensa utgångna inloggningar' }));
		await page.waitForURL(/\/jobs\/runs\?job=sessions$/, { timeout: WAIT_MS });
		return page.getByRole('heading', { level: 2, name: 'Tidigare körningar' }).count()
			.then((n) => n === 1 || { fail: 'no heading "Tidigare körningar"' });
	});
	await lib.checkWidths(tap, AxeBuilder, page, 'runs page', shot);
	await ctx.close();

	const ctx2 = await newContext(browser, server.base);
	const p2 = await ctx2.newPage();
	await signIn(p2, demo.user, demo.password);
	await tap.check('a plain user has no menu entry for it', async () =>
		(await p2.getByRole('link', { name: 'Schemalagda jobb' }).count()) === 0);
	await tap.check('and may not open it (403)', async () => {
		const r = await p2.goto(`${O}/jobs`);
		return r.status() === 403 || { fail: `status ${r.status()}` };
	});
	await ctx2.close();
}

await lib.runTest(tap, 'the jobs browser tests', RUN_LIMIT_MS, main,
	() => ({ server, browser, tmp }));
