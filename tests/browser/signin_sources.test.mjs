// signin_sources.test.mjs - sign-in through Active Directory/LDAP (issue 13)
// in the browser, against a throw-away slapd (scripts/ldap-test-server.sh):
// the administrator finds the sign-in sources from the organisation's
// settings, adds a directory by keyboard in the form made from the kind's
// fields (an error said beside the field), tests the connection and maps a
// group to a role; the secret is never in the page; every page passes axe at
// 1280 and 390 px without sideways scrolling; then a directory user signs in
// with a user name and their person page says the role came from the
// directory (R-17-01, R-17-02: the sign-in is the user's own).  TAP.
//
//   VARN=build/varn node tests/browser/signin_sources.test.mjs
//   SCREENSHOT_DIR=/tmp node tests/browser/signin_sources.test.mjs  (/tmp/signin-*.png)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

const RUN_LIMIT_MS = 180000;
const shot = shooter(process.env.SCREENSHOT_DIR || '');
const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, '..', '..', 'scripts', 'ldap-test-server.sh');

const tap = new Tap();
const tmp = makeTemp('varn-signin-');
const ldapDir = path.join(tmp, 'slapd');
let server = null;
let browser = null;
let slapd = false;

async function main() {
	const [ldaps, , caFile] = execFileSync(script, ['start', ldapDir], { encoding: 'utf8' }).trim().split(' ');
	slapd = true;
	const ca = fs.readFileSync(caFile, 'utf8');
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}/`;
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, demo.admin, demo.password);

	// from the organisation's settings to the list
	await page.goto(`${O}settings`);
	await activate(link(page.getByRole('main'), 'Inloggning med AD eller OpenID Connect'));
	await waitForPath(page, /\/sign-in-sources$/);
	tap.ok((await h1(page)) === 'Inloggningskällor', 'the settings lead to the sign-in sources');
	await checkWidths(tap, AxeBuilder, page, 'signin-sources', shot);

	// a new directory, by keyboard
	await page.getByLabel('Active Directory/LDAP').focus();
	await page.keyboard.press('Space');
	await activate(button(page.getByRole('main'), 'Fortsätt'));
	await waitForPath(page, /\/sign-in-sources\/new$/);
	await checkWidths(tap, AxeBuilder, page, 'signin-source-new', shot);
	await field(page, 'Namn').fill('Kommunens AD');
	await field(page, 'Serverns adress').fill(ldaps.replace('ldaps://', 'ldap://'));
	await field(page, 'CA-certifikat (PEM)').fill(ca);
	await field(page, 'Tjänstekontots DN').fill('cn=varn-sok,ou=service,dc=exempelstad,dc=se');
	await field(page, 'Tjänstekontots lösenord').fill('sok-secret');
	await field(page, 'Sökbas').fill('ou=people,dc=exempelstad,dc=se');
	await field(page, 'Attribut för enhet').fill('departmentNumber');
	await field(page, 'Sökbas för grupper').fill('ou=groups,dc=exempelstad,dc=se');
	await field(page, 'Filter för avstängda konton').fill('(employeeType=disabled)');
	await activate(button(page.getByRole('main'), 'Spara'));
	await page.waitForLoadState();
	const summary = page.locator('.error-summary');
	tap.ok(await summary.count() === 1 && /StartTLS/.test(await summary.innerText()),
		'ldap:// without StartTLS is refused, saying why');
	tap.ok(!(await page.content()).includes('sok-secret'), 'the typed secret is not sent back');
	await shot(page, 'signin-source-error-1280');
	await tap.check('axe on the form with an error', () => lib.axeSerious(AxeBuilder, page));
	await field(page, 'Serverns adress').fill(ldaps);
	await field(page, 'Tjänstekontots lösenord').fill('sok-secret');
	await activate(button(page.getByRole('main'), 'Spara'));
	await waitForPath(page, /\/sign-in-sources\/\d+$/);
	tap.ok((await page.getByRole('main').innerText()).includes('Sparat.'), 'saved');
	tap.ok(!(await page.content()).includes('sok-secret'), 'the secret is never in the page');
	const sourceUrl = page.url().replace(/\?.*$/, '');
	await checkWidths(tap, AxeBuilder, page, 'signin-source', shot);

	// test the connection
	await Promise.all([page.waitForNavigation({ timeout: lib.WAIT_MS }),
		activate(button(page.getByRole('main'), 'Testa anslutningen'))]);
	const report = page.getByRole('status');
	tap.ok(await report.count() >= 1 && (await report.first().innerText()).includes('Anslutningen fungerar.'),
		'the connection test says it works');
	tap.ok((await page.getByRole('main').innerText()).includes('hittar 4 användare'),
		'and how many users the filter finds');
	await shot(page, 'signin-source-tested-1280');
	await tap.check('axe on the test report', () => lib.axeSerious(AxeBuilder, page));

	// a group gives a role
	await page.goto(sourceUrl);
	await field(page, 'Grupp').fill('varn-admins');
	await page.getByLabel(/^\s*Roll(\s*\(obligatoriskt\))?\s*$/).selectOption('samordnare');
	await activate(button(page.getByRole('main'), 'Koppla gruppen'));
	await waitForPath(page, /\/sign-in-sources\/\d+$/);
	tap.ok((await page.getByRole('main').innerText()).includes('Gruppen är kopplad.'), 'the group is mapped');
	tap.ok(await page.getByRole('cell', { name: 'varn-admins' }).count() === 1, 'and listed');
	await shot(page, 'signin-source-mapped-1280');
	await ctx.close();

	// a directory user signs in with a user name
	const uctx = await newContext(browser, server.base);
	const up = await uctx.newPage();
	await signIn(up, 'anna', 'anna-pass-1');
	tap.ok(!(await lib.urlPath(up)).startsWith('/logga-in'), 'anna signs in with her directory account');
	await up.goto(`${O}people?q=Anna+Andersson`);
	const person = link(up.getByRole('main'), 'Anna Andersson');
	if (await person.count()) {
		await activate(person.first());
		await waitForPath(up, /\/people\/\d+$/);
		tap.ok((await up.getByRole('main').innerText()).includes('från katalogen Kommunens AD'),
			'her page says the role came from the directory');
		await checkWidths(tap, AxeBuilder, up, 'signin-person', shot);
	} else {
		tap.ok(false, 'her person record is found in the list');
	}
	await uctx.close();
}

await lib.runTest(tap, 'the sign-in sources browser tests', RUN_LIMIT_MS, main, () => {
	if (slapd) {
		try { execFileSync(script, ['pause', ldapDir]); } catch { /* gone */ }
		slapd = false;
	}
	return { server, browser, tmp };
});
