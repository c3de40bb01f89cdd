// run.mjs - Värn's browser tests: Debian's chromium through playwright-core,
// with axe-core.  Prints TAP ("ok N - ...", "not ok N - ...", "1..N") and
// exits non-zero when anything failed.
//
//   VARN=build/varn node tests/browser/run.mjs
//   SCREENSHOT_DIR=/tmp/shots VARN=... node tests/browser/run.mjs
//
// What it does, as a newcomer would (issue 2, part 9):
//   - creates the demo in a temporary folder and starts `varn serve` on a
//     free port;
//   - signs in as the coordinator by keyboard, adds a unit, a person and a
//     role through the menu and the forms, sees them in the audit trail,
//     submits a form with an empty required field, signs out;
//   - does the sign-in and one create with JavaScript switched off, and
//     checks that no page carries or loads any script;
//   - checks that the first Tab focuses "Hoppa till innehållet" and that
//     every form control has an accessible name;
//   - runs axe (WCAG 2.0/2.1 A and AA) on every page the coordinator and the
//     administrator reach from the menu, plus the sign-in page, a 404, a form
//     with errors and an import preview: no "serious" or "critical" finding;
//   - a plain user sees no "Granskningslogg" and gets the Swedish 403 page;
//   - the system register (issue 3): the coordinator opens "System",
//     filters by life cycle and business-criticality, opens a
//     business-critical system of the demo and sees its profile ("K3") and
//     its dependency picture (<svg role="img"> with a <title>), follows a
//     K4 system to its information set outside the baseline, and searches
//     from the header; axe runs on every kind of page of the register on
//     chosen demo records (lists, a system with its picture, the system
//     forms, an information set, the guided classification, search);
//   - stops the server with SIGTERM and expects exit status 0.
// Every wait is bounded (lib.mjs WAIT_MS) and a watchdog ends the whole run.
import fs from 'node:fs';
import path from 'node:path';

// The npm packages may be missing on a machine where
// `scripts/install-deps.sh test` has not run: say so in TAP.
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
	Tap, WAIT_MS, activate, button, field, h1, initDemo, launchBrowser, link, makeTemp,
	menu, newContext, removeTemp, signIn, slugForFile, startServer, urlPath, varnPath,
	waitForPath,
} = lib;

const RUN_LIMIT_MS = 900000; // a watchdog: it runs beside the area tests
const CRAWL_LIMIT = 260; // kinds of page one crawl visits at most
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SHOTS = process.env.SCREENSHOT_DIR || '';

const tap = new Tap();
const tmp = makeTemp();
let server = null;
let browser = null;
let logins = null;
const org = 'exempelstad';
const O = `/o/${org}`;

/* Everything the browser fetched, to show that the app uses no script. */
const seen = { htmlPages: 0, withScript: [], scriptRequests: [], badCsp: [], pending: [] };

function watch(ctx) {
	ctx.on('request', (req) => {
		if (req.resourceType() === 'script') seen.scriptRequests.push(req.url());
	});
	ctx.on('response', (resp) => {
		const ct = resp.headers()['content-type'] || '';
		if (!ct.startsWith('text/html') || resp.status() >= 300 && resp.status() < 400) return;
		const csp = resp.headers()['content-security-policy'] || '';
		if (!/script-src 'self'/.test(csp) || /unsafe-inline|unsafe-eval/.test(csp.match(/script-src[^;]*/)?.[0] || ''))
			seen.badCsp.push(`${resp.url()}: ${csp || '(none)'}`);
		seen.pending.push(resp.text().then((body) => {
			seen.htmlPages++;
			// a <script> element, an on...= handler attribute inside a tag, or
			// a javascript: address
			if (/<script\b/i.test(body) || /<[a-z][^>]*\son[a-z]+\s*=/i.test(body) ||
			    /\b(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(body))
				seen.withScript.push(resp.url());
		}, () => {}));
	});
}

/* The list's filters fold away (issue 7): open them as a person would,
 * with the keyboard on their summary. */
async function openFilters(form) {
	const d = form.locator('details');
	if (await d.count() && !(await d.first().evaluate((e) => e.open)))
		await activate(form.locator('summary').first());
}

async function shot(page, name) {
	if (!SHOTS) return;
	try {
		fs.mkdirSync(SHOTS, { recursive: true });
		await page.screenshot({ path: path.join(SHOTS, `${slugForFile(name)}.png`), fullPage: true, timeout: WAIT_MS });
	} catch (e) {
		tap.comment(`screenshot ${name} failed: ${e.message.split('\n')[0]}`);
	}
}

async function axe(page) {
	// Legacy mode runs axe in the page itself; the default opens a blank
	// page for every analysis to merge frame results, which costs a second
	// each time, and Värn's pages have no frames.
	const r = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	if (!bad.length) return true;
	return {
		fail: bad.map((v) => `${v.id} (${v.impact}): ${v.help}; at ${v.nodes.slice(0, 6)
			.map((n) => n.target.join(' ')).join(' | ')}`).join('\n'),
	};
}

/* Form controls without an accessible name, from chromium's own
 * accessibility tree (what a screen reader is given). */
const CONTROL_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'listbox', 'checkbox',
	'radio', 'button', 'spinbutton', 'slider', 'switch', 'Date', 'date', 'DateTime', 'InputTime']);
async function unnamedControls(page) {
	const cdp = await page.context().newCDPSession(page);
	try {
		const { nodes } = await cdp.send('Accessibility.getFullAXTree');
		const bad = [];
		for (const n of nodes) {
			if (n.ignored || !CONTROL_ROLES.has(n.role?.value)) continue;
			if (String(n.name?.value ?? '').trim()) continue;
			let what = n.role.value;
			if (n.backendDOMNodeId) {
				try {
					const { node } = await cdp.send('DOM.describeNode', { backendNodeId: n.backendDOMNodeId });
					const a = node.attributes || [];
					const attrs = [];
					for (let i = 0; i < a.length; i += 2)
						if (['id', 'name', 'type'].includes(a[i])) attrs.push(`${a[i]}=${a[i + 1]}`);
					what = `<${node.localName} ${attrs.join(' ')}> (${n.role.value})`;
				} catch { /* keep the role */ }
			}
			bad.push(what);
		}
		return bad;
	} finally {
		await cdp.detach().catch(() => {});
	}
}

/* The first Tab on a freshly loaded page lands on the skip link, and the
 * skip link takes focus to the main content. */
async function skipLinkCheck(page) {
	await page.keyboard.press('Tab');
	const f = await page.evaluate(() => {
		const e = document.activeElement;
		return e ? { tag: e.tagName, text: (e.textContent || '').trim(), href: e.getAttribute('href') } : null;
	});
	if (!f || f.tag !== 'A' || f.text !== 'Hoppa till innehållet')
		return { fail: `first Tab focused ${JSON.stringify(f)}` };
	await page.keyboard.press('Enter');
	const after = await page.evaluate(() => {
		const e = document.activeElement;
		return e ? `${e.tagName.toLowerCase()}#${e.id}` : null;
	});
	if (!/^main#/.test(after || '')) return { fail: `after Enter on the skip link focus is on ${after}, not <main>` };
	return true;
}

/* ---- page inventory: every page reachable from the menu ---- */

function pattern(p) {
	return p.replace(/^\/o\/[^/]+/, '/o/:org').replace(/\/\d+(?=\/|$|\.)/g, '/:id');
}

function followable(u, base) {
	if (u.origin !== new URL(base).origin) return false;
	const p = u.pathname;
	return !(p.startsWith('/static/') || p.startsWith('/api/') || /\.(csv|json|svg|png|xlsx|pdf|txt)$/.test(p) ||
		p.startsWith('/logga-ut') || p === '/healthz');
}

/* Breadth-first over links from the start page, one visit per kind of page
 * (/o/:org/units/:id once), GET only: nothing is changed by the walk. */
const axeDone = new Set(); // kinds of page axe has passed or failed already
async function crawl(ctx, who, starts, names, always = [], seen = []) {
	const page = await ctx.newPage();
	const queue = [...starts];
	// kinds another role's crawl has visited are not visited again: their
	// links are still followed from the pages this one visits
	const done = new Set([...seen, ...starts.map(pattern)]);
	const failures = [];
	let visited = 0;
	while (queue.length && visited < CRAWL_LIMIT) {
		const p = queue.shift();
		visited++;
		let resp;
		try {
			resp = await page.goto(p);
		} catch (e) {
			failures.push(`${p}: ${e.message.split('\n')[0]}`);
			continue;
		}
		const status = resp ? resp.status() : 0;
		if (status >= 400) failures.push(`${p}: HTTP ${status}`);
		const title = await page.title().catch(() => '');
		for (const href of await page.$$eval('a[href]', (as) => as.map((a) => a.href))) {
			let u;
			try { u = new URL(href); } catch { continue; }
			if (!followable(u, ctx._base)) continue;
			const pat = pattern(u.pathname);
			if (done.has(pat)) continue;
			done.add(pat);
			// with its query: some pages need one (/jobs/runs?job=...,
			// a document's ?id=...)
			queue.push(u.pathname + u.search);
		}
		// One axe run per kind of page: the administrator's pages differ from
		// the coordinator's only in the menu, which every page carries.
		const pat = pattern(p);
		if (!axeDone.has(pat) || always.includes(pat)) {
			axeDone.add(pat);
			await tap.check(`axe (${who}): ${p} "${title}"`, () => axe(page));
		}
		const un = await unnamedControls(page).catch((e) => [`(could not read the tree: ${e.message})`]);
		for (const c of un) names.push(`${p}: ${c}`);
		await shot(page, `${who}-${slugForFile(p)}`);
	}
	await page.close();
	// kinds found but not visited: the limit is too low, say so
	for (const p of queue) failures.push(`${p}: not visited (more than ${CRAWL_LIMIT} kinds of page)`);
	return { visited, failures, patterns: [...done] };
}

/* ---- the tests ---- */

async function setup() {
	const varn = varnPath();
	let ok = tap.ok(fs.existsSync(varn), `the binary exists (${varn})`);
	if (!ok) return false;
	ok = await tap.check('varn init --demo creates the demo and prints the logins', () => {
		logins = initDemo(varn, tmp);
		if (!/samordnare@exempelstad\.se/.test(logins.initOutput))
			return { fail: `the coordinator's login is not in the output:\n${logins.initOutput}` };
		return true;
	});
	if (!ok) return false;
	ok = await tap.check('varn serve --listen 127.0.0.1:0 prints the port it serves on', async () => {
		server = await startServer(varn, logins.db);
		if (server.note) return { fail: server.note };
		return true;
	});
	if (!server) return false;
	tap.comment(`server at ${server.base}`);
	ok = await tap.check('chromium starts (Debian /usr/bin/chromium, headless, fresh profile)', async () => {
		browser = await launchBrowser(tmp);
		return true;
	});
	return ok;
}

async function ctxFor(opts = {}) {
	const ctx = await newContext(browser, server.base, opts);
	ctx._base = server.base;
	watch(ctx);
	return ctx;
}

async function newcomersWalk(names) {
	const ctx = await ctxFor();
	const page = await ctx.newPage();
	const g = tap.group('walk');
	const stamp = String(Date.now()).slice(-5);
	const unitName = `Brandskyddsgruppen ${stamp}`;
	const personName = `Örjan Ångström ${stamp}`;
	const personEmail = `orjan.angstrom.${stamp}@exempelstad.se`;
	const ids = {};

	await g.step('/ sends a visitor to the sign-in page /logga-in', async () => {
		await page.goto('/');
		await waitForPath(page, /^\/logga-in$/);
		return (await h1(page)) === 'Logga in' || { fail: `h1 is "${await h1(page)}"` };
	});
	await g.step('first Tab on the sign-in page focuses "Hoppa till innehållet"', async () => {
		await page.goto('/logga-in');
		return skipLinkCheck(page);
	});
	await g.step('sign in as the coordinator by keyboard (labels "E-postadress eller användarnamn", "Lösenord", button "Logga in")', async () => {
		await page.goto('/');
		await field(page, 'E-postadress eller användarnamn').fill(logins.coordinator);
		await field(page, 'Lösenord').fill(logins.password);
		await activate(button(page, 'Logga in'));
		await page.waitForURL((u) => !u.pathname.startsWith('/logga-in'));
		return true;
	});
	await g.step(`lands on the organisation's start page ${O}/ (through the organisation chooser when there are several)`, async () => {
		if ((await urlPath(page)) === '/') {
			// the coordinator serves two municipalities: pick one
			await activate(link(page.getByRole('main'), 'Exempelstads kommun'));
		}
		await waitForPath(page, new RegExp(`^${O}/$`));
		const t = await h1(page);
		return t === 'Exempelstads kommun' || { fail: `h1 is "${t}"` };
	});
	await g.step('first Tab on the start page focuses the skip link', async () => {
		await page.reload();
		return skipLinkCheck(page);
	});
	await g.step('menu "Enheter" leads to the list of units', async () => {
		await activate(link(menu(page), 'Enheter'));
		await waitForPath(page, new RegExp(`^${O}/units$`));
		return (await h1(page)) === 'Enheter';
	});
	await g.step('"Ny enhet" opens the form', async () => {
		await activate(link(page.getByRole('main'), 'Ny enhet'));
		await waitForPath(page, new RegExp(`^${O}/units/new$`));
		return (await h1(page)) === 'Ny enhet';
	});
	await g.step('saving with "Namn" empty gives the Swedish error summary', async () => {
		await field(page, 'Typ').selectOption({ label: 'Enhet' });
		await field(page, 'Kod').fill(`BSG-${stamp}`);
		await field(page, 'Beskrivning').fill('Samordnar brandskyddet: “ö” & <b>');
		await activate(button(page.getByRole('main'), 'Spara'));
		const summary = page.locator('.error-summary, [role="alert"]').first();
		await summary.waitFor();
		const text = await summary.innerText();
		if (!/Formuläret innehåller fel/.test(text)) return { fail: `summary says "${text}"` };
		if (!/Namn/.test(text)) return { fail: `summary does not name the field "Namn": "${text}"` };
		return true;
	});
	await g.step('the error summary links are focusable and lead to the wrong field', async () => {
		const links = page.locator('.error-summary a, [role="alert"] a');
		const n = await links.count();
		if (!n) return { fail: 'no links in the error summary' };
		const first = links.first();
		const href = await first.getAttribute('href');
		await first.focus();
		const focused = await first.evaluate((e) => e === document.activeElement);
		if (!focused) return { fail: 'the summary link cannot take focus' };
		await page.keyboard.press('Enter');
		const target = (href || '').replace(/^#/, '');
		await page.waitForFunction((id) => document.activeElement && document.activeElement.id === id, target, { timeout: 5000 })
			.catch(() => {});
		const active = await page.evaluate(() => document.activeElement && document.activeElement.id);
		if (active !== target) return { fail: `after following ${href} focus is on #${active}` };
		return true;
	});
	await g.step('the wrong field is marked (aria-invalid, message beside it in Swedish)', async () => {
		const name = field(page, 'Namn');
		if ((await name.getAttribute('aria-invalid')) !== 'true') return { fail: 'Namn lacks aria-invalid="true"' };
		const desc = (await name.getAttribute('aria-describedby')) || '';
		const msgs = [];
		for (const id of desc.split(/\s+/).filter(Boolean))
			msgs.push(await page.locator(`[id="${id}"]`).innerText().catch(() => ''));
		if (!msgs.some((m) => /måste|fyll|saknas|ange/i.test(m)))
			return { fail: `no Swedish message described-by the field: ${JSON.stringify(msgs)}` };
		return true;
	});
	await g.step('every value typed is kept in the form with errors', async () => {
		const kod = await field(page, 'Kod').inputValue();
		const besk = await field(page, 'Beskrivning').inputValue();
		const typ = await field(page, 'Typ').inputValue();
		const want = { kod: `BSG-${stamp}`, besk: 'Samordnar brandskyddet: “ö” & <b>', typ: 'enhet' };
		const got = { kod, besk, typ };
		return JSON.stringify(got) === JSON.stringify(want) || { fail: `kept ${JSON.stringify(got)}, typed ${JSON.stringify(want)}` };
	});
	await tap.check('axe (coordinator): the unit form with errors', () => axe(page));
	for (const c of await unnamedControls(page).catch(() => [])) names.push(`unit form with errors: ${c}`);
	await shot(page, 'coordinator-unit-form-with-errors');

	await g.step(`fill "Namn" and save: the new unit's page shows "${unitName}"`, async () => {
		await field(page, 'Namn').fill(unitName);
		await activate(button(page.getByRole('main'), 'Spara'));
		await waitForPath(page, new RegExp(`^${O}/units/\\d+$`));
		ids.unit = (await urlPath(page)).split('/').pop();
		const t = await h1(page);
		return t === unitName || { fail: `h1 is "${t}"` };
	});
	await g.step('menu "Personer", then "Ny person"', async () => {
		await activate(link(menu(page), 'Personer'));
		await waitForPath(page, new RegExp(`^${O}/people$`));
		await activate(link(page.getByRole('main'), 'Ny person'));
		await waitForPath(page, new RegExp(`^${O}/people/new$`));
		return (await h1(page)) === 'Ny person';
	});
	await g.step(`add "${personName}" (Namn, E-postadress, Enhet, Anställning "Anställd")`, async () => {
		await field(page, 'Namn').fill(personName);
		await field(page, 'E-postadress').fill(personEmail);
		await field(page, 'Enhet').selectOption({ label: unitName });
		await field(page, 'Anställning').selectOption({ label: 'Anställd' });
		await activate(button(page.getByRole('main'), 'Spara'));
		await waitForPath(page, new RegExp(`^${O}/people/\\d+$`));
		ids.person = (await urlPath(page)).split('/').pop();
		const t = await h1(page);
		if (t !== personName) return { fail: `h1 is "${t}"` };
		const main = await page.getByRole('main').innerText();
		return main.includes(unitName) || { fail: `the person's page does not show the unit "${unitName}"` };
	});
	await g.step('menu "Roller", then "Ge en person en roll"', async () => {
		await activate(link(menu(page), 'Roller'));
		await waitForPath(page, new RegExp(`^${O}/roles$`));
		await activate(link(page.getByRole('main'), 'Ge en person en roll'));
		await waitForPath(page, new RegExp(`^${O}/roles/new$`));
		return (await h1(page)) === 'Ge en person en roll';
	});
	await g.step(`give "${personName}" the role "Systemägare"`, async () => {
		await field(page, 'Person').selectOption({ label: personName });
		await field(page, 'Roll').selectOption({ label: 'Systemägare' });
		await activate(button(page.getByRole('main'), 'Spara'));
		await waitForPath(page, new RegExp(`^${O}/roles/\\d+$`));
		ids.role = (await urlPath(page)).split('/').pop();
		const main = await page.getByRole('main').innerText();
		if (!main.includes(personName)) return { fail: `the role's page does not name "${personName}"` };
		return main.includes('Systemägare') || { fail: 'the role\'s page does not say "Systemägare"' };
	});
	let rows = [];
	await g.step('menu "Granskningslogg" opens the audit trail', async () => {
		await activate(link(menu(page), 'Granskningslogg'));
		await waitForPath(page, new RegExp(`^${O}/audit$`));
		rows = await page.locator('table tbody tr').evaluateAll((trs) =>
			trs.map((tr) => [...tr.querySelectorAll('td,th')].map((c) => c.innerText.trim())));
		return (await h1(page)) === 'Granskningslogg';
	});
	// A row: time | who | event | what ("Enheter: <the record's name>") | changes.
	// The page is Swedish: the event reads "Skapade", the register its Swedish
	// name, the record its own (issue 7: names, not "#12").
	const register = { units: 'Enheter', people: 'Personer', roles: 'Roller' };
	const title = { units: unitName, people: personName, roles: personName };
	const creation = (entity) => rows.find((r) => r.join(' ').includes(logins.coordinator) &&
		r.some((c) => /^skapa/i.test(c)) &&
		r.some((c) => c.startsWith(`${register[entity]}: ${title[entity]}`)));
	await g.step('the audit trail shows the coordinator creating the unit, the person and the role', () => {
		const missing = [['units', ids.unit], ['people', ids.person], ['roles', ids.role]]
			.filter(([e]) => !creation(e)).map(([e, id]) => `${register[e]} #${id}`);
		return !missing.length || { fail: `no "Skapade" row by ${logins.coordinator} for ${missing.join(', ')}; first rows:\n${rows.slice(0, 5).map((r) => r.join(' | ')).join('\n')}` };
	});
	await tap.check('audit trail: each creation row names the record in words (unit, person, and the person given the role)', () => {
		const want = [['units', ids.unit, unitName], ['people', ids.person, personName], ['roles', ids.role, personName]];
		const bad = want.filter(([e, id, words]) => {
			const r = creation(e);
			return !r || !r.join(' ').includes(words) || r.join(' ').includes(`#${id}`);
		}).map(([e, id, words]) => `${register[e]} #${id} row does not say "${words}": ${(creation(e) || []).join(' | ').slice(0, 200)}`);
		return !bad.length || { fail: bad.join('\n') };
	});
	await g.step('"Logga ut" signs out and the start page asks for sign-in again', async () => {
		await activate(button(page, 'Logga ut'));
		await page.waitForURL((u) => u.pathname === '/logga-in' || u.pathname === '/');
		await page.goto(`${O}/`);
		await waitForPath(page, /^\/logga-in$/);
		return true;
	});
	await ctx.close();
}

async function withoutJavaScript() {
	const ctx = await ctxFor({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	const g = tap.group('no JavaScript');
	const name = `Arkivgruppen ${String(Date.now()).slice(-5)}`;
	await g.step('JavaScript is really off in this browser context', async () => {
		await page.goto('/logga-in');
		// page.evaluate runs in a utility world; ask the page itself:
		// with scripting off, a <noscript> body is rendered as content.
		const off = await page.evaluate(() => {
			const d = document.createElement('div');
			d.innerHTML = '<noscript><span id="nojs">x</span></noscript>';
			document.body.appendChild(d);
			const r = !!document.getElementById('nojs');
			d.remove();
			return r;
		});
		return off || { fail: 'noscript content is not rendered, so scripting seems on' };
	});
	await g.step('sign in as the coordinator', async () => {
		await signIn(page, logins.coordinator, logins.password);
		await waitForPath(page, new RegExp(`^${O}/$`));
		return true;
	});
	await g.step('create a unit through "Enheter" → "Ny enhet" → "Spara"', async () => {
		await activate(link(menu(page), 'Enheter'));
		await waitForPath(page, new RegExp(`^${O}/units$`));
		await activate(link(page.getByRole('main'), 'Ny enhet'));
		await waitForPath(page, new RegExp(`^${O}/units/new$`));
		await field(page, 'Namn').fill(name);
		await field(page, 'Typ').selectOption({ label: 'Avdelning' });
		await field(page, 'Ingår i').selectOption({ label: 'Kansliet' });
		await activate(button(page.getByRole('main'), 'Spara'));
		await waitForPath(page, new RegExp(`^${O}/units/\\d+$`));
		const t = await h1(page);
		return t === name || { fail: `h1 is "${t}"` };
	});
	await g.step('the unit appears in the list, found by Swedish search', async () => {
		await page.goto(`${O}/units`);
		// the list's own form; every page's header has another search
		const form = page.getByRole('search', { name: 'Sök och filtrera' });
		await field(form, 'Sök').fill('arkivgruppen');
		await activate(button(form, 'Sök'));
		await page.waitForURL((u) => u.search.includes('q='));
		const n = await link(page.getByRole('main'), name).count();
		return n === 1 || { fail: `${n} links named "${name}" after searching` };
	});
	await g.step('"Logga ut" works without JavaScript', async () => {
		await activate(button(page, 'Logga ut'));
		await page.waitForURL((u) => u.pathname === '/logga-in' || u.pathname === '/');
		await page.goto(`${O}/units`);
		await waitForPath(page, /^\/logga-in$/);
		return true;
	});
	await ctx.close();
}

async function plainUser(names) {
	const ctx = await ctxFor();
	const page = await ctx.newPage();
	const g = tap.group('plain user');
	await g.step(`sign in as ${logins.user}`, async () => {
		await signIn(page, logins.user, logins.password);
		await waitForPath(page, new RegExp(`^${O}/$`));
		return true;
	});
	await g.step('the menu has no "Granskningslogg"', async () => {
		const m = menu(page);
		await link(m, 'Enheter').waitFor();
		const n = await link(m, 'Granskningslogg').count();
		const all = await page.getByRole('link', { name: 'Granskningslogg' }).count();
		if (n) return { fail: 'the menu offers "Granskningslogg"' };
		return !all || { fail: `the page still links to "Granskningslogg" (${all} link(s))` };
	});
	await tap.check('axe (plain user): start page', () => axe(page));
	for (const c of await unnamedControls(page).catch(() => [])) names.push(`plain user start: ${c}`);
	await shot(page, 'user-start');
	await g.step(`${O}/audit answers 403 with the Swedish page "Åtkomst nekad"`, async () => {
		const resp = await page.goto(`${O}/audit`);
		if (resp.status() !== 403) return { fail: `HTTP ${resp.status()}` };
		const t = await h1(page);
		const lang = await page.locator('html').getAttribute('lang');
		if (t !== 'Åtkomst nekad') return { fail: `h1 is "${t}"` };
		return lang === 'sv' || { fail: `<html lang="${lang}">` };
	});
	await tap.check('axe (plain user): the 403 page', () => axe(page));
	await shot(page, 'user-403');
	await ctx.close();
}

/* ---- the system register (issue 3) ---- */

/* The demo's names that the walk and the page list rely on (cli/demo_systems.c). */
const DEMO_SYS = {
	critical: 'Journalsystem vård och omsorg', // K3 R3 T3 S3, two dependencies
	partner: 'Trygghetslarm',                   // one of them
	decommissioning: 'Zoom',
	level4: 'Verksamhetssystem IFO',            // K4 through the set below
	level4Set: 'Skyddade personuppgifter',
};

/* The rows of the main table as arrays of cell texts, and its headings. */
async function tableRows(page) {
	const t = page.getByRole('main').locator('table.list').first();
	await t.waitFor();
	const head = await t.locator('thead th').evaluateAll((ths) => ths.map((th) => th.innerText.replace(/[▲▼]/g, '').trim()));
	const rows = await t.locator('tbody tr').evaluateAll((trs) =>
		trs.map((tr) => [...tr.querySelectorAll('th,td')].map((c) => c.innerText.trim())));
	return { head, rows };
}

/* The address of the record a link in the main content leads to. */
async function recordHref(page, name) {
	const a = link(page.getByRole('main'), name).first();
	await a.waitFor();
	return new URL(await a.getAttribute('href'), page.url()).pathname;
}

/* The dependency picture: an <svg role="img"> whose accessible name comes
 * from its own <title>.  Returns a fail object or the title's text. */
async function dependencyPicture(page) {
	const svg = page.getByRole('main').locator('svg[role="img"]');
	const n = await svg.count();
	if (n !== 1) return { fail: `${n} <svg role="img"> in the main content, expected the one dependency picture` };
	const info = await svg.evaluate((e) => {
		const title = e.querySelector(':scope > title');
		const ids = (e.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
		return {
			title: title ? title.textContent.trim() : null,
			labelledby: ids.map((id) => (document.getElementById(id) || { textContent: null }).textContent),
			label: e.getAttribute('aria-label'),
			boxes: e.querySelectorAll('g > title').length,
		};
	});
	if (!info.title) return { fail: 'the <svg role="img"> has no <title> child' };
	if (info.labelledby.some((t) => t === null)) return { fail: `aria-labelledby names a missing element: ${JSON.stringify(info)}` };
	if (!info.labelledby.length && !info.label) return { fail: 'the picture has neither aria-labelledby nor aria-label' };
	return info;
}

async function systemsWalk(names) {
	const ctx = await ctxFor();
	const page = await ctx.newPage();
	const g = tap.group('systems');
	await g.step('sign in as the coordinator', async () => {
		await signIn(page, logins.coordinator, logins.password);
		await waitForPath(page, new RegExp(`^${O}/$`));
		return true;
	});
	await g.step('menu "System" leads to the system register', async () => {
		await activate(link(menu(page), 'System'));
		await waitForPath(page, new RegExp(`^${O}/systems$`));
		const t = await h1(page);
		return t === 'System' || { fail: `h1 is "${t}"` };
	});
	await g.step('the demo register lists about 40 systems', async () => {
		const { rows } = await tableRows(page);
		return rows.length >= 35 || { fail: `${rows.length} rows` };
	});
	const form = page.getByRole('search', { name: 'Sök och filtrera' });
	const lifecycleOf = async () => {
		const { head, rows } = await tableRows(page);
		const col = head.indexOf('Livscykel');
		if (col < 0) throw new Error(`no column "Livscykel" in ${JSON.stringify(head)}`);
		return rows.map((r) => ({ name: r[0], life: r[col] }));
	};
	await g.step(`filter "Livscykel" = "Under avveckling": only such systems, "${DEMO_SYS.decommissioning}" among them`, async () => {
		await openFilters(form);
		await field(form, 'Livscykel').selectOption({ label: 'Under avveckling' });
		await activate(button(form, 'Sök'));
		await page.waitForURL((u) => u.searchParams.get('lifecycle') === 'decommissioning');
		const rows = await lifecycleOf();
		const other = rows.filter((r) => r.life !== 'Under avveckling');
		if (!rows.length) return { fail: 'no rows' };
		if (other.length) return { fail: `rows with another life cycle: ${JSON.stringify(other)}` };
		return rows.some((r) => r.name === DEMO_SYS.decommissioning) || { fail: `"${DEMO_SYS.decommissioning}" missing: ${JSON.stringify(rows)}` };
	});
	await g.step('the filter is kept in the form after the search', async () => {
		const v = await field(form, 'Livscykel').inputValue();
		return v === 'decommissioning' || { fail: `"Livscykel" holds "${v}"` };
	});
	await g.step(`filter "I drift" and "Verksamhetskritiskt" = "Ja": "${DEMO_SYS.critical}" is listed, "${DEMO_SYS.decommissioning}" is not`, async () => {
		await openFilters(form);
		await field(form, 'Livscykel').selectOption({ label: 'I drift' });
		await field(form, 'Verksamhetskritiskt').selectOption({ label: 'Ja' });
		await activate(button(form, 'Sök'));
		await page.waitForURL((u) => u.searchParams.get('lifecycle') === 'operation' &&
			u.searchParams.get('business_critical') === '1');
		const rows = await lifecycleOf();
		const other = rows.filter((r) => r.life !== 'I drift');
		if (other.length) return { fail: `rows not "I drift": ${JSON.stringify(other)}` };
		if (rows.some((r) => r.name === DEMO_SYS.decommissioning)) return { fail: `"${DEMO_SYS.decommissioning}" is listed` };
		if (rows.length < 3) return { fail: `only ${rows.length} business-critical systems in operation` };
		return rows.some((r) => r.name === DEMO_SYS.critical) || { fail: `"${DEMO_SYS.critical}" missing: ${rows.map((r) => r.name).join(', ')}` };
	});
	await tap.check('axe (coordinator): the filtered system list', () => axe(page));
	await shot(page, 'systems-filtered');
	await g.step(`open "${DEMO_SYS.critical}"`, async () => {
		await activate(link(page.getByRole('main'), DEMO_SYS.critical));
		await waitForPath(page, new RegExp(`^${O}/systems/\\d+$`));
		const t = await h1(page);
		return t === DEMO_SYS.critical || { fail: `h1 is "${t}"` };
	});
	await g.step('its profile says K3 and business-critical ("Verksamhetskritiskt"), and where each level comes from', async () => {
		const sec = page.getByRole('region', { name: 'Skyddsnivå', exact: true });
		if (!(await sec.count())) return { fail: 'no section "Skyddsnivå" (a <section> labelled by its heading)' };
		const text = await sec.innerText();
		if (!/\bK3\b/.test(text)) return { fail: `no "K3" in the profile: ${text.slice(0, 300)}` };
		if (!/Verksamhetskritiskt/.test(text)) return { fail: `no "Verksamhetskritiskt" in the profile: ${text.slice(0, 300)}` };
		return /Patientjournaler hemsjukvård/.test(text) || { fail: 'the profile does not name the information set that gives the level' };
	});
	await g.step(`the dependency picture: <svg role="img"> with a <title> naming the system, and "${DEMO_SYS.partner}" in it`, async () => {
		const info = await dependencyPicture(page);
		if (info.fail) return info;
		if (!info.title.includes(DEMO_SYS.critical)) return { fail: `<title> is "${info.title}"` };
		const svgText = await page.getByRole('main').locator('svg[role="img"]').evaluate((e) => e.textContent);
		return svgText.includes(DEMO_SYS.partner) || { fail: `"${DEMO_SYS.partner}" is not in the picture` };
	});
	await g.step('the picture is also told in text beside it', async () => {
		const told = await page.getByRole('main').evaluate((m, partner) =>
			[...m.querySelectorAll('li, p, td, dd')].some((e) => !e.closest('svg') &&
				e.textContent.includes(partner)), DEMO_SYS.partner);
		return told || { fail: `"${DEMO_SYS.partner}" appears only inside the picture` };
	});
	await tap.check('axe (coordinator): a business-critical system with its dependency picture', () => axe(page));
	for (const c of await unnamedControls(page).catch(() => [])) names.push(`system page: ${c}`);
	await shot(page, 'system-business-critical');
	await g.step(`"${DEMO_SYS.level4}" is at K4 from "${DEMO_SYS.level4Set}", and the set's page says level 4 on K`, async () => {
		await page.goto(`${O}/systems?q=${encodeURIComponent(DEMO_SYS.level4)}`);
		await activate(link(page.getByRole('main'), DEMO_SYS.level4));
		await waitForPath(page, new RegExp(`^${O}/systems/\\d+$`));
		const sec = await page.getByRole('region', { name: 'Skyddsnivå', exact: true }).innerText();
		if (!/\bK4\b/.test(sec)) return { fail: `no "K4" in the profile: ${sec.slice(0, 300)}` };
		await activate(link(page.getByRole('region', { name: 'Skyddsnivå', exact: true }), DEMO_SYS.level4Set).first());
		await waitForPath(page, new RegExp(`^${O}/information/\\d+$`));
		const t = await h1(page);
		if (t !== DEMO_SYS.level4Set) return { fail: `h1 is "${t}"` };
		const main = await page.getByRole('main').innerText();
		return /\bK4\b/.test(main) || { fail: 'the information set\'s page does not say "K4"' };
	});
	await tap.check('axe (coordinator): an information set at level 4', () => axe(page));
	await shot(page, 'information-set-level-4');
	await g.step(`the page of systems and information outside the baseline lists "${DEMO_SYS.level4}" and "${DEMO_SYS.level4Set}"`, async () => {
		await page.goto(`${O}/outside-baseline`);
		const main = await page.getByRole('main').innerText();
		const miss = [DEMO_SYS.level4, DEMO_SYS.level4Set].filter((n) => !main.includes(n));
		return !miss.length || { fail: `missing: ${miss.join(', ')}` };
	});
	await g.step('the search in the header finds the journal system ("journal")', async () => {
		await page.goto(`${O}/`);
		const header = page.getByRole('search', { name: 'Sök i systemförteckningen' });
		if (!(await header.count())) return { fail: 'no search form "Sök i systemförteckningen" in the header' };
		const box = header.getByRole('searchbox').first();
		await box.fill('journal');
		await box.press('Enter');
		await waitForPath(page, new RegExp(`^${O}/search$`));
		const n = await link(page.getByRole('main'), DEMO_SYS.critical).count();
		return n >= 1 || { fail: `no link "${DEMO_SYS.critical}" among the hits` };
	});
	await ctx.close();
}

/* axe on every kind of page of the system register, on chosen records of
 * the demo (the crawl takes whichever record it meets first). */
async function systemPages(names) {
	const ctx = await ctxFor();
	const page = await ctx.newPage();
	const ok = await tap.check('system pages: the coordinator signs in', async () => {
		await signIn(page, logins.coordinator, logins.password);
		await waitForPath(page, new RegExp(`^${O}/$`));
		return true;
	});
	if (!ok) {
		await ctx.close();
		return;
	}
	const ids = {};
	await tap.check('system pages: the demo records are found in the lists', async () => {
		await page.goto(`${O}/systems?q=${encodeURIComponent(DEMO_SYS.critical)}`);
		ids.system = await recordHref(page, DEMO_SYS.critical);
		await page.goto(`${O}/information?q=${encodeURIComponent(DEMO_SYS.level4Set)}`);
		ids.infoset = await recordHref(page, DEMO_SYS.level4Set);
		return true;
	});
	const pages = [
		['the system list', `${O}/systems`],
		['a system page with its dependency picture', ids.system, { svg: true }],
		['the new system form', `${O}/systems/new`],
		['the edit system form', ids.system && `${ids.system}/edit`],
		['the information sets list', `${O}/information`],
		['an information set page', ids.infoset],
		['the guided classification', ids.infoset && `${ids.infoset}/classify`, { may404: true }],
		['the classifications list', `${O}/classifications`],
		['the dependencies list', `${O}/dependencies`],
		['the system-information links list', `${O}/system-information`],
		['the system roles list', `${O}/system-roles`],
		['information due for review', `${O}/information-review`],
		['outside the baseline', `${O}/outside-baseline`],
		['the search page with hits', `${O}/search?q=${encodeURIComponent('löne')}`, { hits: true }],
		['the search page without hits', `${O}/search?q=${encodeURIComponent('zzzfinnsinte')}`],
	];
	for (const [what, url, opt = {}] of pages) {
		if (!url) {
			tap.ok(false, `axe (coordinator): ${what}`, 'the demo record was not found');
			continue;
		}
		const resp = await page.goto(url).catch((e) => ({ error: e }));
		if (resp.error) {
			tap.ok(false, `axe (coordinator): ${what} ${url}`, resp.error.message);
			continue;
		}
		if (resp.status() === 404 && opt.may404) {
			tap.ok(true, `axe (coordinator): ${what} ${url} # SKIP the page answers 404: not built yet`);
			continue;
		}
		await tap.check(`axe (coordinator): ${what} ${url}`, async () => {
			if (resp.status() !== 200) return { fail: `HTTP ${resp.status()}` };
			if (opt.svg) {
				const info = await dependencyPicture(page);
				if (info.fail) return info;
			}
			if (opt.hits && !(await page.getByRole('main').locator('a[href*="/systems/"]').count()))
				return { fail: 'no system among the hits' };
			return axe(page);
		});
		for (const c of await unnamedControls(page).catch(() => [])) names.push(`${url}: ${c}`);
		await shot(page, `system-pages-${slugForFile(url)}`);
	}
	await ctx.close();
}

async function everyPage(who, email, names, extra, seen = []) {
	const ctx = await ctxFor();
	const page = await ctx.newPage();
	let ok = await tap.check(`${who}: signs in`, async () => {
		await signIn(page, email, logins.password);
		await waitForPath(page, new RegExp(`^${O}/$`));
		return true;
	});
	if (!ok) {
		await ctx.close();
		return [];
	}
	await page.close();
	const r = await crawl(ctx, who, [`${O}/`], names, ['/o/:org/'], seen);
	tap.comment(`${who}: ${r.visited} kinds of page visited: ${r.patterns.join(' ')}`);
	await tap.check(`${who}: every page reached from the menu answers without error (${r.visited} pages)`,
		() => !r.failures.length || { fail: r.failures.join('\n') });
	if (extra) await extra(ctx);
	await ctx.close();
	return r.patterns;
}

async function coordinatorExtras(ctx, names) {
	const page = await ctx.newPage();
	await tap.check('coordinator: the 404 page is Swedish and passes axe', async () => {
		const resp = await page.goto('/finns-inte/alls');
		if (resp.status() !== 404) return { fail: `HTTP ${resp.status()}` };
		const t = await h1(page);
		if (t !== 'Sidan finns inte') return { fail: `h1 is "${t}"` };
		await shot(page, 'coordinator-404');
		return axe(page);
	});
	await tap.check('coordinator: an organisation record that does not exist gives the 404 page', async () => {
		const resp = await page.goto(`${O}/units/999999`);
		return resp.status() === 404 || { fail: `HTTP ${resp.status()}` };
	});
	await tap.check('coordinator: the import preview with per-row errors passes axe', async () => {
		await page.goto(`${O}/units/import`);
		await field(page, 'CSV-innehåll').fill('Namn;Typ;Ingår i\nTestenhet;enhet;Finns inte\n;okänd;\n');
		await activate(button(page.getByRole('main'), 'Förhandsgranska'));
		await page.getByRole('main').locator('table, .error-summary, [role="alert"]').first().waitFor();
		for (const c of await unnamedControls(page).catch(() => [])) names.push(`import preview: ${c}`);
		await shot(page, 'coordinator-import-preview-errors');
		return axe(page);
	});
	await page.close();
}

async function signedOutPages(names) {
	const ctx = await ctxFor();
	const page = await ctx.newPage();
	await tap.check('signed out: the sign-in page passes axe', async () => {
		await page.goto('/logga-in');
		for (const c of await unnamedControls(page)) names.push(`sign-in: ${c}`);
		await shot(page, 'signed-out-sign-in');
		return axe(page);
	});
	await tap.check('signed out: a wrong password gives a Swedish message, keeps the e-mail, passes axe', async () => {
		await page.goto('/logga-in');
		await field(page, 'E-postadress eller användarnamn').fill('ingen@exempelstad.se');
		await field(page, 'Lösenord').fill('fel-lösenord-123');
		await activate(button(page, 'Logga in'));
		await waitForPath(page, /^\/logga-in/);
		const text = await page.getByRole('main').innerText();
		if (!/fel|stämmer inte|felaktig/i.test(text)) return { fail: `no Swedish error on the page: ${text.slice(0, 300)}` };
		const kept = await field(page, 'E-postadress eller användarnamn').inputValue();
		if (kept !== 'ingen@exempelstad.se') return { fail: `e-mail field holds "${kept}"` };
		await shot(page, 'signed-out-sign-in-error');
		return axe(page);
	});
	await tap.check('signed out: the 404 page passes axe', async () => {
		const resp = await page.goto('/finns-inte');
		if (resp.status() !== 404) return { fail: `HTTP ${resp.status()}` };
		return axe(page);
	});
	await ctx.close();
}

async function main() {
	if (!(await setup())) return;
	const names = [];
	await newcomersWalk(names);
	await withoutJavaScript();
	await plainUser(names);
	await systemsWalk(names);
	await systemPages(names);
	const coordinatorKinds = await everyPage('coordinator', logins.coordinator, names,
		(ctx) => coordinatorExtras(ctx, names));
	// the administrator's crawl: the kinds of page the coordinator's did
	// not reach (the administrator's menu differs in a few entries)
	await everyPage('admin', logins.admin, names, async (ctx) => {
		const page = await ctx.newPage();
		await tap.check('admin: the menu offers "Inställningar" and the settings page opens', async () => {
			await page.goto(`${O}/`);
			await activate(link(menu(page), 'Inställningar'));
			await waitForPath(page, new RegExp(`^${O}/settings$`));
			return true;
		});
		await page.close();
	}, coordinatorKinds);
	await signedOutPages(names);

	await tap.check('every form control on every page has an accessible name', () =>
		!names.length || { fail: [...new Set(names)].join('\n') });
	await Promise.all(seen.pending);
	await tap.check(`no page carries script or event-handler attributes (${seen.htmlPages} HTML responses)`, () =>
		!seen.withScript.length || { fail: seen.withScript.join('\n') });
	await tap.check('the browser never fetched a script', () =>
		!seen.scriptRequests.length || { fail: seen.scriptRequests.join('\n') });
	await tap.check('every HTML response has a CSP with script-src \'self\' and no unsafe-inline', () =>
		!seen.badCsp.length || { fail: [...new Set(seen.badCsp)].slice(0, 10).join('\n') });
}

async function cleanup() {
	if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref())]);
	if (server) {
		const r = await server.stop();
		tap.ok(!r.timeout && r.code === 0, 'varn serve exits with status 0 on SIGTERM',
			r.timeout ? `still running ${WAIT_MS} ms after SIGTERM` : `code ${r.code}, signal ${r.signal}\n${server.log().slice(-2000)}`);
	}
	removeTemp(tmp);
}

const watchdog = setTimeout(() => {
	tap.ok(false, `the browser tests finished within ${RUN_LIMIT_MS / 1000} s`);
	try { server?.proc.kill('SIGKILL'); } catch { /* gone */ }
	try { browser?.close(); } catch { /* gone */ }
	setTimeout(() => {
		removeTemp(tmp);
		tap.plan();
		process.exit(1);
	}, 2000).unref();
}, RUN_LIMIT_MS);

const t0 = Date.now();
try {
	await main();
} catch (e) {
	tap.ok(false, 'the browser tests ran to the end', e && e.stack ? e.stack : String(e));
}
await cleanup();
clearTimeout(watchdog);
tap.comment(`${tap.n} checks, ${tap.failed} failed, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
tap.plan();
process.exit(tap.failed ? 1 : 0);
