// accounts.test.mjs - the account life cycle and API tokens (issue 13) in
// the browser: the administrator opens a person's account page from the
// person's page (recent sign-ins, sessions, tokens: R-17-01, R-17-02),
// resets two-step verification after recording how the identity was
// checked, on a form that warns of fake reset calls and links (R-9-14),
// disables and enables the account, all by keyboard; the organisation's
// token page and the account page's token form; every page passes axe at
// 1280 and 390 px without sideways scrolling.  TAP.
//
//   VARN=build/varn node tests/browser/accounts.test.mjs
//   SCREENSHOT_DIR=/tmp node tests/browser/accounts.test.mjs  (/tmp/accounts-*.png)
// covers R-9-14 R-17-01 R-17-02
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
const tmp = makeTemp('varn-accounts-');
let server = null;
let browser = null;

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}/`;

	// the user signs in once, so that the account page has a sign-in to show
	const uctx = await newContext(browser, server.base);
	const up = await uctx.newPage();
	await signIn(up, demo.user, demo.password);
	await uctx.close();

	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, demo.admin, demo.password);
	const main = page.getByRole('main');

	// from the people list to the person's page to the account
	await page.goto(`${O}people?q=${encodeURIComponent('anvandare')}`);
	let person = main.locator('a[href*="/people/"]').filter({ hasNotText: /Ny person|Importera/ });
	if (!await person.count()) {
		await page.goto(`${O}people`);
		person = main.locator('a[href*="/people/"]');
	}
	// find the person whose account is the plain user's: try the list's links
	const hrefs = await main.locator('a[href*="/people/"]').evaluateAll(
		(els) => els.map((e) => e.getAttribute('href')).filter((h) => /\/people\/\d+$/.test(h)));
	let accountUrl = null;
	for (const h of hrefs) {
		await page.goto(h);
		if ((await main.innerText()).includes(demo.user)) { accountUrl = h; break; }
	}
	tap.ok(accountUrl !== null, `the plain user's person page (${accountUrl})`);
	await activate(link(main, 'Hantera kontot'));
	await waitForPath(page, /\/account$/);
	const text = await main.innerText();
	tap.ok(text.includes('Senaste inloggningar') && text.includes('Inloggning'),
		'the account page lists the recent sign-ins (R-17-01, R-17-02)');
	tap.ok(text.includes('Öppna sessioner') && text.includes('API-nycklar'),
		'its open sessions and tokens');
	await checkWidths(tap, AxeBuilder, page, 'accounts-account', shot);
	const acct = new URL(page.url()).pathname;

	// the reset of the second factor, with the check recorded (R-9-14)
	await page.goto(`${acct}/reset-totp`);
	tap.ok((await main.innerText()).includes('falska inloggningslänkar'),
		'the reset form warns of fake reset calls and links');
	await checkWidths(tap, AxeBuilder, page, 'accounts-reset-totp', shot);
	await activate(button(main, 'Återställ tvåstegsverifieringen'));
	await page.waitForLoadState();
	tap.ok(await page.locator('.error-summary').count() === 1,
		'without saying how the identity was checked it is refused');
	await shot(page, 'accounts-reset-totp-refused-1280');
	await field(page, 'Vem kontrollerade identiteten').fill('Ida Ek, servicedesken');
	const radio = page.getByLabel('Återuppringning till ett nummer vi redan kände till');
	await radio.focus();
	await page.keyboard.press('Space');
	tap.ok(await radio.isChecked(), 'the way of checking chosen by keyboard');
	await activate(button(main, 'Återställ tvåstegsverifieringen'));
	await waitForPath(page, /\/account$/);
	tap.ok((await main.innerText()).includes('Tvåstegsverifieringen är återställd'), 'reset');

	// disabled and enabled again, by keyboard
	await field(page, 'Anteckning').first().fill('Slutar på fredag');
	await activate(button(main, 'Stäng av kontot'));
	await waitForPath(page, /\/account$/);
	tap.ok((await main.innerText()).includes('Avstängt av en administratör'), 'disabled');
	await shot(page, 'accounts-disabled-1280');
	await activate(button(main, 'Aktivera kontot'));
	await waitForPath(page, /\/account$/);
	tap.ok((await main.innerText()).includes('Kontot är aktiverat'), 'enabled again');

	// the organisation's tokens, and the account page's token form
	await page.goto('/konto');
	await field(page, 'Benämning').fill('Rapportskript');
	await field(page, 'Behörighet').fill('systems:read');
	await activate(button(main, 'Skapa API-nyckel'));
	await page.waitForLoadState();
	tap.ok(await main.locator('code.token').count() === 1, 'a scoped token made on /konto');
	await page.goto('/konto');
	tap.ok((await main.innerText()).includes('systems:read'), 'listed with its scope');
	await checkWidths(tap, AxeBuilder, page, 'accounts-konto', shot);
	await page.goto(`${O}tokens`);
	tap.ok((await main.innerText()).includes('Rapportskript'), 'the organisation\'s token page lists it');
	await checkWidths(tap, AxeBuilder, page, 'accounts-org-tokens', shot);
	await ctx.close();
}

await lib.runTest(tap, 'the account browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
