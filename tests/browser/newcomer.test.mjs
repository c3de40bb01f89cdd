// newcomer.test.mjs - the newcomer's paths of issue 7, walked as their
// users would, counting the page loads and the clicks:
//
//   - the coordinator (1280 px): from the start page, adds a system with an
//     owner, one dependency, one system manager and one information set
//     and classifies the set with the wizard; each addition returns to the
//     page it was made from with a message naming what was added, and the
//     system ends with its derived level;
//   - the system owner (390 px, a phone): the start page says what waits
//     for them, the link opens exactly their system, the banner says what
//     changed, marking it reviewed with a note clears it and the start page
//     no longer asks.
//
// At every page: no sideways scrolling, and axe (WCAG 2.0/2.1 A and AA: no
// serious or critical finding) on each kind of page once.  Prints TAP and a
// comment with the counts (the "before" was 17 page loads and 51
// clicks: 27 to navigate and choose, 24 answers on one page of 144 radios).
//
//   VARN=build/varn node tests/browser/newcomer.test.mjs
//   NEWCOMER_SHOTS=/tmp/newcomer VARN=build/varn node tests/browser/newcomer.test.mjs
import fs from 'node:fs';
import path from 'node:path';

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
	Tap, WAIT_MS, button, field, initDemo, launchBrowser, link, makeTemp, menu, newContext,
	signIn, slugForFile, startServer, varnPath,
} = lib;

const RUN_LIMIT_MS = 240000;
const SHOTS = process.env.NEWCOMER_SHOTS || '';
const O = '/o/exempelstad';

const tap = new Tap();
const tmp = makeTemp();
let server = null;
let browser = null;

function axe(page) {
	return lib.axeSerious(AxeBuilder, page);
}

/* Counts what the user does and waits for, and checks every page it
 * lands on: no sideways scrolling; axe once per kind of page. */
class Walker {
	constructor(page, name) {
		this.page = page;
		this.name = name;
		this.loads = 0;
		this.clicks = 0;
		this.problems = [];
		this.axed = new Set();
		page.on('framenavigated', (f) => { if (f === page.mainFrame()) this.loads++; });
	}
	async landed() {
		const page = this.page;
		await page.waitForLoadState();
		const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth,
			document.documentElement.clientWidth]);
		const where = new URL(page.url()).pathname;
		if (sw > cw) this.problems.push(`${where}: scrollWidth ${sw} > clientWidth ${cw}`);
		const kind = where.replace(/\/\d+/g, '/N');
		if (!this.axed.has(kind)) {
			this.axed.add(kind);
			const r = await axe(page);
			if (r !== true) this.problems.push(`${where}: ${r.fail}`);
		}
		if (SHOTS) {
			fs.mkdirSync(SHOTS, { recursive: true });
			await page.screenshot({ path: path.join(SHOTS, `${this.name}-${String(this.loads).padStart(2, '0')}-${slugForFile(where)}.png`),
				fullPage: true, timeout: WAIT_MS }).catch(() => {});
		}
	}
	async click(locator) {
		this.clicks++;
		await locator.click({ timeout: WAIT_MS });
		await this.landed();
	}
	async choose(label, option) {
		this.clicks++;
		await field(this.page, label).selectOption(option, { timeout: WAIT_MS });
	}
	async type(label, text) {
		await field(this.page, label).fill(text, { timeout: WAIT_MS });
	}
	async pick(groupName, optionName) {
		this.clicks++;
		await this.page.getByRole('group', { name: groupName })
			.getByRole('radio', { name: optionName, exact: true }).check({ timeout: WAIT_MS });
	}
	main() {
		return this.page.locator('main');
	}
	async says(text) {
		const t = await this.main().innerText({ timeout: WAIT_MS });
		return t.includes(text) || { fail: `the page does not say "${text}":\n${t.slice(0, 800)}` };
	}
}

async function coordinator(logins) {
	const ctx = await newContext(browser, server.base, { viewport: { width: 1280, height: 900 } });
	const page = await ctx.newPage();
	const g = tap.group('coordinator');
	await signIn(page, logins.coordinator, logins.password);
	await page.goto(`${O}/`);
	const w = new Walker(page, 'coordinator');
	await w.landed();
	const start = { loads: w.loads, clicks: w.clicks };
	let systemPath = '';

	await g.step('"System" in the menu, then "Nytt system"', async () => {
		await w.click(link(menu(page), 'System'));
		await w.click(page.getByRole('link', { name: 'Nytt system' }));
		return w.says('Namn');
	});
	await g.step('the form with the owner picked among people who can own; saved to the system page', async () => {
		await w.type('Namn', 'Nykomlingssystemet');
		const groups = await field(page, 'Systemägare').locator('optgroup').evaluateAll((o) => o.map((x) => x.label));
		if (!groups.length) return { fail: 'the owner picker has no groups' };
		const first = await field(page, 'Systemägare').locator('optgroup').first().locator('option').first().textContent();
		await w.choose('Systemägare', { label: first.trim() });
		await w.choose('Drift', { label: 'Egen drift' });
		await w.choose('Livscykel', { label: 'I drift' });
		await w.choose('Personuppgifter', { label: 'Inga personuppgifter' });
		await w.click(button(page, 'Spara'));
		systemPath = new URL(page.url()).pathname;
		if (!/\/systems\/\d+$/.test(systemPath)) return { fail: `landed on ${page.url()}` };
		return w.says('Ej klassad');
	});
	await g.step('a dependency added from the system returns to the system, naming it', async () => {
		await w.click(page.getByRole('link', { name: /Lägg till ett beroende/ }).first());
		const other = await field(page, 'Annat system').locator('option').nth(1).textContent();
		await w.choose('Annat system', { index: 1 });
		await w.choose('Riktning', { index: 1 });
		await w.click(button(page, 'Spara'));
		if (new URL(page.url()).pathname !== systemPath) return { fail: `landed on ${page.url()}` };
		return w.says(other.trim());
	});
	await g.step('a system manager added from the system returns to the system, naming them', async () => {
		await w.click(page.getByRole('link', { name: /Ge en person en roll/ }).first());
		const person = await field(page, 'Person').locator('option').nth(1).textContent();
		await w.choose('Person', { index: 1 });
		await w.choose('Roll', { label: 'Systemförvaltare' });
		await w.click(button(page, 'Spara'));
		if (new URL(page.url()).pathname !== systemPath) return { fail: `landed on ${page.url()}` };
		return w.says(person.trim());
	});
	await g.step('a new information set made from the system is linked to it at once', async () => {
		await w.click(page.getByRole('link', { name: 'Ny informationsmängd i systemet' }).first());
		await w.type('Namn', 'Nykomlingsinformation');
		await w.click(button(page, 'Spara'));
		if (!/\/information\/\d+$/.test(new URL(page.url()).pathname)) return { fail: `landed on ${page.url()}` };
		return w.says('Nykomlingssystemet');
	});
	await g.step('classified with the wizard, one aspect per step, the proposal first', async () => {
		await w.click(page.getByRole('link', { name: 'Klassa' }).first());
		const steps = [['Nästa: Riktighet', 'Verksamhet'], ['Nästa: Tillgänglighet', 'Verksamhet'],
			['Nästa: Spårbarhet', 'Verksamhet'], ['Nästa: Beslut', 'Verksamhet']];
		for (const [next, question] of steps) {
			await w.pick(new RegExp(question), '2 Betydande');
			await w.click(button(page, next));
		}
		const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
		if (focused !== 'proposal-h') return { fail: `the focus is on #${focused}, not the proposal` };
		await w.click(button(page, 'Spara klassning'));
		return w.says('K2');
	});
	await g.step('the system shows the derived level, its dependency, manager and information', async () => {
		await w.click(page.getByRole('link', { name: 'Nykomlingssystemet' }).first());
		if (new URL(page.url()).pathname !== systemPath) return { fail: `landed on ${page.url()}` };
		const t = await w.main().innerText();
		for (const s of ['K2 R2 T2 S2', 'Systemförvaltare', 'Nykomlingsinformation'])
			if (!t.includes(s)) return { fail: `the system page lacks "${s}"` };
		return !t.includes('Skyddsnivå saknas') || { fail: 'still "Skyddsnivå saknas"' };
	});
	await tap.check('coordinator: every page fits 1280 px and passes axe', () =>
		!w.problems.length || { fail: w.problems.join('\n') });
	const loads = w.loads - start.loads, clicks = w.clicks - start.clicks;
	tap.comment(`coordinator: a system with owner, dependency, manager and information, classified: ${loads} page loads, ${clicks} clicks (before: 17 page loads, 51 clicks)`);
	tap.ok(loads < 17 && clicks < 51, `coordinator: fewer page loads and clicks than before (${loads} < 17, ${clicks} < 51)`);
	await ctx.close();
}

async function systemOwner(logins) {
	const ctx = await newContext(browser, server.base, { viewport: { width: 390, height: 844 } });
	const page = await ctx.newPage();
	const g = tap.group('system owner at 390 px');
	await signIn(page, 'socialchef@exempelstad.se', logins.password);
	await page.goto(`${O}/`);
	const w = new Walker(page, 'owner');
	await w.landed();
	let system = '';
	let reviewed = 0;

	await g.step('the start page says a system of theirs needs review', async () => {
		const l = page.locator('section[aria-labelledby=waiting]').getByRole('link', { name: /av dina system har fått ändrad skyddsnivå/ });
		if (await l.count() !== 1) return { fail: await page.locator('section[aria-labelledby=waiting]').innerText() };
		const said = parseInt(await l.textContent(), 10);
		await w.click(l);
		const rows = page.locator('main table tbody tr');
		const n = await rows.count();
		if (n !== said) return { fail: `the start page said ${said}, the list has ${n} rows` };
		reviewed = said;
		system = (await rows.first().locator('a').first().textContent()).trim();
		return true;
	});
	await g.step('the system says what changed', async () => {
		await w.click(page.locator('main table tbody tr').first().getByRole('link', { name: system }));
		return w.says('Skyddsnivån har ändrats');
	});
	await g.step('marked reviewed with a note; the banner is gone', async () => {
		await w.click(button(page, 'Markera som granskad'));
		const note = page.getByLabel(/Anteckning/);
		if (await note.count()) await note.first().fill('Granskat med verksamheten.');
		if (await button(page, 'Markera som granskad').count())
			await w.click(button(page, 'Markera som granskad'));
		const t = await w.main().innerText();
		return !t.includes('Skyddsnivån har ändrats') || { fail: 'the banner is still there' };
	});
	await g.step('the start page asks for one system less', async () => {
		await w.click(link(menu(page), 'Start'));
		const t = await page.locator('section[aria-labelledby=waiting]').innerText();
		const m = t.match(/(\d+) av dina system har fått ändrad/);
		return !m || Number(m[1]) === reviewed - 1 || { fail: t };
	});
	await tap.check('system owner: every page fits 390 px and passes axe', () =>
		!w.problems.length || { fail: w.problems.join('\n') });
	tap.comment(`system owner: from the start page to a reviewed system: ${w.loads - 1} page loads, ${w.clicks} clicks`);
	await ctx.close();
}

async function main() {
	const logins = initDemo(varnPath(), tmp);
	server = await startServer(varnPath(), logins.db);
	browser = await launchBrowser(tmp);
	await coordinator(logins);
	await systemOwner(logins);
}

await lib.runTest(tap, 'the newcomer walks', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
