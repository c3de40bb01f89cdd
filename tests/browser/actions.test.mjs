// actions.test.mjs - the action plan (issue 10) in the browser: the
// coordinator's start page tells of overdue activities and the list behind
// the line holds as many; the decided plan's page (decision, follow-up,
// timeline, ranked activities, deviations) and the page of open gaps pass
// axe at 1280 and 390 px without sideways scrolling; by keyboard alone a
// gap is checked and put in next year's plan, which is submitted, and
// management records its decision; the gap's page then names the activity
// (R-4-20, R-7-06, R-7-07, R-7-10, R-7-11).  TAP.
//
//   VARN=build/varn node tests/browser/actions.test.mjs
//   SCREENSHOT_DIR=/tmp node tests/browser/actions.test.mjs  (/tmp/actions-*.png)
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
const tmp = makeTemp('varn-actions-');
let server = null;
let browser = null;

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}/`;
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, demo.coordinator, demo.password);

	// the start page's line and the list behind it (R-7-11)
	await page.goto(O);
	const line = page.locator('ul.waiting a', { hasText: /beslutad(e)? handlingsplan(er)? är försenad/ });
	tap.ok(await line.count() === 1, 'the coordinator is told of overdue activities');
	const n = Number(((await line.innerText()).match(/^(\d+)/) || [])[1]);
	await activate(line);
	await waitForPath(page, /\/actions\/activities$/);
	const rows = await page.locator('a.ap-row').count();
	tap.ok(n > 0 && rows === n, `the list behind it holds as many (${rows} of ${n})`);
	await shot(page, 'actions-overdue-1280');
	await tap.check('axe on the list of overdue activities', () => lib.axeSerious(AxeBuilder, page));
	await activate(page.locator('a.ap-row').first());
	await waitForPath(page, /\/activities\/\d+$/);
	tap.ok(await page.getByRole('heading', { name: /Brister som åtgärdas/ }).count() === 1,
		'the activity names the gaps it addresses');
	await tap.check('axe on an activity', () => lib.axeSerious(AxeBuilder, page));
	await shot(page, 'actions-activity-1280');

	// the decided plan's page
	await page.goto(`${O}action-plans`);
	await activate(link(page.getByRole('main'), new RegExp('Handlingsplan för informationssäkerhet \\d{4}')).first());
	await waitForPath(page, /\/action-plans\/\d+$/);
	const planUrl = page.url();
	const main = page.getByRole('main');
	tap.ok(await main.getByRole('heading', { name: 'Ledningens beslut' }).count() === 1,
		'the plan shows management\'s decision');
	tap.ok((await main.innerText()).includes('Kommunstyrelsen'), 'by the board');
	tap.ok(await main.getByRole('heading', { name: /Uppföljning/ }).count() === 1, 'its follow-up');
	tap.ok(await main.locator('svg').count() >= 1, 'a timeline picture');
	tap.ok(await main.getByRole('heading', { name: /Avvikelser från beslutad plan/ }).count() === 1,
		'the deviations');
	tap.ok(await main.locator('.overdue').count() >= 1, 'an overdue activity stands out');
	await checkWidths(tap, AxeBuilder, page, 'actions-plan', shot);
	await activate(link(page.getByRole('main'), 'Utskriftsvy'));
	await waitForPath(page, /\/documents\/action-plan$/);
	tap.ok((await page.getByRole('main').innerText()).includes('Aktiviteter i prioritetsordning'),
		'the print view of the plan as decided');
	await tap.check('axe on the print view', () => lib.axeSerious(AxeBuilder, page));
	await shot(page, 'actions-print-1280');

	// next year's draft: gaps put in it by keyboard
	await page.goto(`${O}action-plans?state=draft`);
	await activate(link(page.getByRole('main'), new RegExp('Handlingsplan för informationssäkerhet \\d{4}')).first());
	await waitForPath(page, /\/action-plans\/\d+$/);
	const draftUrl = page.url();

	await activate(link(page.getByRole('main'), 'Aktiviteter från brister'));
	await waitForPath(page, /\/actions\/from-gaps$/);
	tap.ok((await h1(page)) === 'Aktiviteter från brister', 'the page of open gaps');
	await checkWidths(tap, AxeBuilder, page, 'actions-from-gaps', shot);
	const boxes = page.locator('input[name="gap"]');
	tap.ok(await boxes.count() > 0, 'gaps to choose from, each with a checkbox');
	// keyset paging: the next page holds other gaps
	const next = link(page.getByRole('main'), 'Nästa sida');
	if (await next.count()) {
		const first = new Set(await boxes.evaluateAll((els) => els.map((e) => e.value)));
		const back = page.url();
		await activate(next);
		await page.waitForLoadState();
		const second = await page.locator('input[name="gap"]').evaluateAll((els) => els.map((e) => e.value));
		tap.ok(second.length > 0 && second.every((v) => !first.has(v)),
			`the next page holds ${second.length} other gaps`);
		await page.goto(back);
	}
	// the last gap on the page: not yet planned in the draft, most likely
	const box = boxes.last();
	const gapId = await box.getAttribute('value');
	await box.focus();
	await page.keyboard.press('Space');
	tap.ok(await box.isChecked(), 'checked by keyboard');
	await activate(button(page.getByRole('main'), 'Skapa aktiviteter av de markerade'));
	await waitForPath(page, /\/action-plans\/\d+$/);
	tap.ok(page.url().startsWith(draftUrl.replace(/\?.*$/, '')), 'back on the plan');
	tap.ok(/added=1/.test(page.url()), `one activity added (${new URL(page.url()).search})`);
	await page.goto(`${O}assessments/${gapId}`);
	tap.ok((await page.getByRole('main').innerText()).includes('Åtgärd planerad:'),
		'the gap\'s page names the planned activity (R-4-20)');
	await shot(page, 'actions-gap-panel-1280');

	// submitted by the coordinator ...
	await page.goto(draftUrl);
	await activate(link(page.getByRole('main'), 'Lämna till ledningen för beslut'));
	await activate(button(page.getByRole('main'), 'Lämna till ledningen för beslut'));
	await waitForPath(page, /\/action-plans\/\d+$/);
	tap.ok((await page.getByRole('main').innerText()).includes('Väntar på beslut'), 'submitted');
	await ctx.close();

	// ... decided by management, by keyboard (R-7-07)
	const mctx = await newContext(browser, server.base);
	const mp = await mctx.newPage();
	await signIn(mp, 'socialchef@exempelstad.se', demo.password);
	await mp.goto(O);
	const wait = mp.locator('ul.waiting a', { hasText: /handlingsplan(er)? väntar på ledningens beslut/ });
	tap.ok(await wait.count() === 1, 'management is told a plan awaits its decision');
	await mp.goto(draftUrl);
	await activate(link(mp.getByRole('main'), 'Registrera ledningens beslut'));
	await waitForPath(mp, /\/decide$/);
	await activate(button(mp.getByRole('main'), 'Registrera ledningens beslut'));
	await mp.waitForLoadState();
	tap.ok(await mp.locator('.error-summary, [role="alert"]').count() >= 1,
		'without the decision\'s inputs it is refused, saying what is missing');
	await field(mp, 'Beslutad av').fill('Kommunstyrelsen');
	const today = new Date().toISOString().slice(0, 10);
	await field(mp, 'Beslutsdatum').fill(today);
	await field(mp, 'Beslut').fill('Planen fastställs.');
	await field(mp, 'Protokoll').fill('KS § 99');
	await shot(mp, 'actions-decide-1280');
	await activate(button(mp.getByRole('main'), 'Registrera ledningens beslut'));
	await waitForPath(mp, /\/action-plans\/\d+$/);
	tap.ok((await mp.getByRole('main').innerText()).includes('KS § 99'), 'the decision is recorded');
	await mctx.close();

	void planUrl;
}

await lib.runTest(tap, 'the action plan browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
