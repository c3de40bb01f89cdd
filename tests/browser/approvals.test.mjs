// approvals.test.mjs - the operational approval (issue 10) in the browser:
// the coordinator's start page tells of the system in operation without an
// approval and of the approval to review, and the lists behind the lines
// hold as many; the overview, its lists, a system's panel, an approval with
// its conditions followed up and the decision's print view pass axe at
// 1280 and 390 px without sideways scrolling; by keyboard alone the
// coordinator prepares and proposes an approval for the missing system,
// and the system owner decides the proposal waiting for them (R-6-08,
// R-6-11, R-6-13, R-6-14, R-6-15).  TAP.
//
//   VARN=build/varn node tests/browser/approvals.test.mjs
//   SCREENSHOT_DIR=/tmp node tests/browser/approvals.test.mjs  (/tmp/approvals-*.png)
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
const tmp = makeTemp('varn-approvals-');
let server = null;
let browser = null;

/* The number a start-page line starts with, after following it the
 * number of rows of the list behind it. */
async function lineAndList(page, re, rowSel, what) {
	const line = page.locator('ul.waiting a', { hasText: re });
	tap.ok(await line.count() === 1, `the start page tells of ${what}`);
	const n = Number(((await line.innerText()).match(/^(\d+)/) || [])[1]);
	await activate(line);
	await waitForPath(page, /\/approvals$/);
	const rows = await page.locator(rowSel).count();
	tap.ok(n > 0 && rows === n, `the list behind it holds as many (${rows} of ${n})`);
	return n;
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

	// the lines and the lists behind them (issue 10: a system in operation without an approval is flagged)
	await page.goto(O);
	await lineAndList(page, /system i drift saknar giltigt driftgodkännande/, 'a.dg-row',
		'a system in operation without an approval');
	await checkWidths(tap, AxeBuilder, page, 'approvals-missing', shot);
	const missingUrl = await page.locator('a.dg-row').first().getAttribute('href');
	await page.goto(O);
	await lineAndList(page, /driftgodkännanden? ska omprövas/, 'a.dg-row',
		'an approval to review');
	tap.ok((await page.getByRole('main').innerText()).includes('var inte uppfyllt'),
		'saying why: a condition not met in time');

	// the overview
	await page.goto(`${O}approvals`);
	tap.ok((await h1(page)) === 'Driftgodkännanden', 'the overview');
	for (const re of [/saknar giltigt/, /ska omprövas/, /ska förnyas/, /försenat/])
		tap.ok(await page.getByRole('main').getByRole('link', { name: re }).count() === 1,
			`the overview links ${re.source}`);
	await checkWidths(tap, AxeBuilder, page, 'approvals-overview', shot);
	await activate(page.getByRole('main').getByRole('link', { name: /villkor är försenat/ }));
	await waitForPath(page, /\/approvals$/);
	tap.ok(await page.locator('a.dg-row').count() === 1, 'the overdue condition listed');
	await activate(page.locator('a.dg-row').first());
	await waitForPath(page, /\/operational-approvals\/\d+$/);
	const main = page.getByRole('main');
	tap.ok(await main.getByRole('heading', { name: /Villkor och uppföljning/ }).count() === 1,
		'the approval follows its conditions up (R-6-11, R-6-15)');
	tap.ok((await main.innerText()).includes('Markerat för omprövning'), 'it is marked for review');
	await checkWidths(tap, AxeBuilder, page, 'approvals-approval', shot);
	await activate(link(main, 'Utskriftsvy'));
	await waitForPath(page, /\/documents\/approval-decision$/);
	const doc = await page.getByRole('main').innerText();
	tap.ok(doc.includes('Genomgång av säkerhetsåtgärder') && doc.includes('Systemägarens beslut'),
		'the print view of the decision with its basis (R-6-08)');
	await checkWidths(tap, AxeBuilder, page, 'approvals-print', shot);

	// the missing system: prepared and proposed by keyboard
	await page.goto(missingUrl);
	await waitForPath(page, /\/systems\/\d+$/);
	tap.ok((await page.getByRole('main').innerText()).includes('i drift utan giltigt driftgodkännande'),
		'the system\'s page flags it');
	await checkWidths(tap, AxeBuilder, page, 'approvals-system-panel', shot);
	await activate(link(page.getByRole('main'), 'Nytt driftgodkännande'));
	await waitForPath(page, /\/operational-approvals\/new$/);
	await field(page, 'Version eller release').fill('2027.1');
	await field(page, 'Miljöer').fill('Produktion');
	await page.getByLabel(/^\s*Förslag till beslut/).selectOption('approved');
	await field(page, 'Motivering').fill('Åtgärderna är på plats.');
	await shot(page, 'approvals-new-1280');
	await activate(button(page.getByRole('main'), 'Spara'));
	// made from the system's page: back there, where the panel leads on
	await waitForPath(page, /\/systems\/\d+$/);
	await activate(link(page.getByRole('main'), 'Driftgodkännande under beredning'));
	await waitForPath(page, /\/operational-approvals\/\d+$/);
	tap.ok(await page.getByRole('heading', { name: 'Underlaget just nu' }).count() === 1,
		'the draft shows the basis as it stands');
	await activate(link(page.getByRole('main'), 'Lägg fram förslaget'));
	await waitForPath(page, /\/propose$/);
	await activate(button(page.getByRole('main'), 'Lägg fram förslaget'));
	await waitForPath(page, /\/operational-approvals\/\d+$/);
	tap.ok((await page.getByRole('main').innerText()).includes('Föreslaget, väntar på beslut'),
		'proposed to the owner');
	await ctx.close();

	// the owner decides the proposal waiting for them (R-6-13)
	const octx = await newContext(browser, server.base);
	const op = await octx.newPage();
	await signIn(op, 'socialchef@exempelstad.se', demo.password);
	await op.goto(O);
	const wait = op.locator('ul.waiting a', { hasText: 'väntar på ditt beslut' });
	tap.ok(await wait.count() === 1, 'the owner is told a decision awaits them');
	await activate(wait);
	await waitForPath(op, /\/operational-approvals$/);
	await activate(op.getByRole('main').getByRole('link', { name: /Driftgodkännande / }).first());
	await waitForPath(op, /\/operational-approvals\/\d+$/);
	tap.ok(await link(op.getByRole('main'), 'Lägg fram förslaget').count() === 0,
		'the owner does not prepare');
	await activate(link(op.getByRole('main'), 'Fatta beslut'));
	await waitForPath(op, /\/decide$/);
	await checkWidths(tap, AxeBuilder, op, 'approvals-decide', shot);
	await activate(button(op.getByRole('main'), 'Fatta beslut'));
	await op.waitForLoadState();
	tap.ok(await op.locator('.error-summary, [role="alert"]').count() >= 1,
		'without a decision it is refused, saying what is missing');
	await op.getByLabel(/^\s*Beslut(\s*\(obligatoriskt\))?\s*$/).selectOption('approved');
	await field(op, 'Beslutstext').fill('Systemet godkänns för drift.');
	await activate(button(op.getByRole('main'), 'Fatta beslut'));
	await waitForPath(op, /\/operational-approvals\/\d+$/);
	tap.ok((await op.getByRole('main').innerText()).includes('Beslutat'), 'decided');
	await octx.close();
}

await lib.runTest(tap, 'the approvals browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
