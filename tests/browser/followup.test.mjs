// followup.test.mjs - follow-up (issue 12) in the browser: the
// coordinator's start page tells of what is late to follow up and the list
// behind the line holds it (R-15-19); the overdue list of every module and
// the follow-up calendar of a month, grouped by week and day, pass axe at
// 1280 and 390 px without sideways scrolling (R-15-01); by keyboard a
// follow-up is started, a deviation found is made an action of the action
// plan in one step (R-15-07), and the follow-up is marked done with its
// conclusion (R-15-03: the plan's numbers kept).  TAP.
//
//   VARN=build/varn node tests/browser/followup.test.mjs
//   SCREENSHOT_DIR=/tmp node tests/browser/followup.test.mjs  (/tmp/followup-*.png)
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
const tmp = makeTemp('varn-followup-');
let server = null;
let browser = null;

// a transition offered as a link to its own page, or as a button at once
async function step(page, name) {
	const main = page.getByRole('main');
	const l = link(main, name);
	if (await l.count()) {
		await activate(l.first());
		await page.waitForLoadState();
	}
	return button(page.getByRole('main'), name);
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

	// covers R-15-19
	// the start page's line and the list behind it (R-15-19)
	await page.goto(O);
	const line = page.locator('ul.waiting a', { hasText: /att följa upp är försenad/ });
	tap.ok(await line.count() === 1, 'the coordinator is told what is late to follow up');
	await activate(line);
	await waitForPath(page, /\/follow-up\/overdue$/);
	tap.ok((await h1(page)) === 'Försenat att följa upp', 'the overdue list');
	const mainText = await page.getByRole('main').innerText();
	tap.ok(mainText.includes('Omvärldsbevakning till IT-beredningsgruppen'),
		'it holds the environment scan that is late');
	await checkWidths(tap, AxeBuilder, page, 'followup-overdue-mine', shot);

	// everyone's: the other modules' late things too
	await page.goto(`${O}follow-up/overdue`);
	const all = await page.getByRole('main').innerText();
	tap.ok(/Aktivitet ska vara klar/.test(all), 'everyone\'s list holds the action plan\'s late activities');
	tap.ok(await page.getByRole('table', { name: 'Försenat per slag' }).count() === 1,
		'with the counts by kind');
	await checkWidths(tap, AxeBuilder, page, 'followup-overdue', shot);

	// covers R-15-01
	// the calendar of the month of the log review (10 days on)
	const ahead = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 7);
	await page.goto(`${O}follow-up?month=${ahead}`);
	tap.ok((await h1(page)).startsWith('Uppföljningskalender'), 'the calendar');
	const cal = page.getByRole('main');
	tap.ok((await cal.innerText()).includes('Loggranskning, kvartal'), 'the log review is in its month');
	tap.ok(await cal.getByRole('heading', { level: 2, name: /^Vecka \d+$/ }).count() >= 1,
		'grouped by week');
	tap.ok(await cal.getByRole('heading', { level: 3 }).count() >= 1, 'and by day');
	tap.ok(await link(page.getByRole('navigation', { name: 'Månader' }), /→/).count() === 1,
		'a link to the next month');
	await checkWidths(tap, AxeBuilder, page, 'followup-calendar', shot);
	await activate(link(page.getByRole('navigation', { name: 'Vems' }), 'Mina'));
	await page.waitForLoadState();
	tap.ok(/owner=me/.test(page.url()), 'the coordinator\'s own calendar');

	// covers R-15-07 R-15-03
	// a follow-up done, a deviation made an action (R-15-07, R-15-03)
	await page.goto(`${O}follow-up/overdue?owner=me`);
	await activate(link(page.getByRole('main'), 'Omvärldsbevakning till IT-beredningsgruppen'));
	await waitForPath(page, /\/follow-ups\/\d+$/);
	const fuUrl = page.url();
	await activate(await step(page, 'Påbörja'));
	await waitForPath(page, /\/follow-ups\/\d+$/);
	tap.ok((await page.getByRole('main').innerText()).includes('Pågår'), 'started');
	tap.ok((await page.getByRole('main').innerText()).includes('aktiviteter i den beslutade handlingsplanen'),
		'its page shows the decided plan\'s numbers as they stand');
	await checkWidths(tap, AxeBuilder, page, 'followup-record', shot);
	await activate(link(page.getByRole('main'), 'Nytt fynd'));
	await page.waitForLoadState();
	await field(page, 'Fynd').fill('Ny sårbarhet i e-postsystemet utan åtgärd');
	await page.getByLabel('Slag av fynd').selectOption({ label: 'Avvikelse' }).catch(async () => {
		await page.getByRole('radio', { name: 'Avvikelse' }).check();
	});
	await page.getByLabel('Allvarlighet').selectOption({ label: 'Hög' }).catch(async () => {
		await page.getByRole('radio', { name: 'Hög' }).check();
	});
	await shot(page, 'followup-finding-form-1280');
	await activate(button(page.getByRole('main'), /Spara|Skapa/));
	await waitForPath(page, /\/follow-ups\/\d+$/);
	tap.ok(await page.getByRole('heading', { name: /^Fynd/ }).count() === 1 &&
		(await page.getByRole('main').innerText()).includes('Ny sårbarhet i e-postsystemet'),
		'the finding is listed on the follow-up');
	await activate(link(page.getByRole('main'), 'Ny sårbarhet i e-postsystemet utan åtgärd'));
	await waitForPath(page, /\/follow-up-findings\/\d+$/);
	tap.ok((await h1(page)).includes('Ny sårbarhet'), 'the finding\'s page');
	await activate(link(page.getByRole('main'), 'Gör till åtgärd'));
	await waitForPath(page, /\/to-action$/);
	tap.ok(await field(page, 'Aktivitetens namn').inputValue() === 'Ny sårbarhet i e-postsystemet utan åtgärd',
		'the activity\'s name starts from the finding');
	await shot(page, 'followup-to-action-1280');
	await tap.check('axe on the step\'s page', () => lib.axeSerious(AxeBuilder, page));
	await activate(button(page.getByRole('main'), 'Gör till åtgärd'));
	await waitForPath(page, /\/follow-up-findings\/\d+$/);
	const fnd = await page.getByRole('main').innerText();
	tap.ok(fnd.includes('Åtgärd planerad'), 'the finding is an action now');
	await activate(link(page.getByRole('main'), 'Ny sårbarhet i e-postsystemet utan åtgärd').last());
	await waitForPath(page, /\/activities\/\d+$/);
	tap.ok((await h1(page)).includes('Ny sårbarhet'), 'an activity of the action plan');

	await page.goto(fuUrl);
	await activate(await step(page, 'Markera som klar'));
	await page.waitForLoadState();
	await field(page, 'Slutsats').fill('Två nya hot rapporterade; en sårbarhet blev en åtgärd.');
	await activate(button(page.getByRole('main'), 'Markera som klar'));
	await waitForPath(page, /\/follow-ups\/\d+$/);
	const done = await page.getByRole('main').innerText();
	tap.ok(done.includes('Klar'), 'the follow-up is done');
	tap.ok(/Varav genomförda/.test(done), 'the action plan\'s numbers are kept in it');
	tap.ok(done.includes('Nästa uppföljning'), 'and the next one is planned');
	await shot(page, 'followup-done-1280');
	await tap.check('axe on the done follow-up', () => lib.axeSerious(AxeBuilder, page));
	await ctx.close();
}

await lib.runTest(tap, 'the follow-up browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
