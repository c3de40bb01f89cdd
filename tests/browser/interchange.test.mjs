// interchange.test.mjs - export and import as a coordinator meets them
// (issue 7, "Fewer detours"), in Debian's chromium with axe-core, at 1280
// and 390 px wide.  Prints TAP.
//
//   VARN=build/varn node tests/browser/interchange.test.mjs
//   SCREENSHOT_DIR=/tmp/interchange-shots VARN=... node tests/browser/interchange.test.mjs
//
// What it does: the system list filtered by life cycle offers exports that
// carry the filter, and the CSV behind the link holds only those systems,
// with their managers, dependencies and information sets; the import page
// links the CSV and Excel templates; a file with a bad life cycle and a bad
// level comes back naming the value and what is allowed; the template's
// example row passes the preview.  axe on the import page, its error state
// and its preview, at both widths; no page scrolls sideways at 390 px.
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
	Tap, WAIT_MS, activate, button, field, initDemo, launchBrowser, makeTemp, newContext,
	removeTemp, signIn, startServer, varnPath,
} = lib;

const RUN_LIMIT_MS = 180000;
const SHOTS = process.env.SCREENSHOT_DIR || '/tmp/interchange-shots';
const O = '/o/exempelstad';

const tap = new Tap();
const tmp = makeTemp('varn-interchange-');
let server = null;
let browser = null;

function axe(page) {
	return lib.axeSerious(AxeBuilder, page);
}

async function shot(page, name) {
	if (!SHOTS) return;
	try {
		fs.mkdirSync(SHOTS, { recursive: true });
		await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, timeout: WAIT_MS });
	} catch (e) {
		tap.comment(`screenshot ${name} failed: ${e.message.split('\n')[0]}`);
	}
}

async function noSidewaysScroll(page) {
	const w = await page.evaluate(() => ({
		doc: document.documentElement.scrollWidth, view: window.innerWidth,
	}));
	return w.doc <= w.view + 1 ? true : { fail: `the page is ${w.doc} px wide in a ${w.view} px window` };
}

/* A CSV's cells (';'-separated, quotes as Excel writes them). */
function csvRows(text) {
	const rows = [];
	let row = [], cell = '', q = false;
	text = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (q) {
			if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
			else if (c === '"') q = false;
			else cell += c;
		} else if (c === '"') q = true;
		else if (c === ';') { row.push(cell); cell = ''; }
		else if (c === '\r') { /* CRLF */ }
		else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
		else cell += c;
	}
	if (cell || row.length) { row.push(cell); rows.push(row); }
	return rows;
}

const BAD = 'Namn;Drift;Livscykel;Personuppgifter;raise_k;raise_reason\r\n' +
	'Ett nytt system;Egen drift;drift2;Inga personuppgifter;;\r\n' +
	'Ett till;Egen drift;I drift;Inga personuppgifter;5;Högre krav\r\n';

async function walk(width, logins) {
	const ctx = await newContext(browser, server.base, { viewport: { width, height: 900 } });
	const page = await ctx.newPage();
	const g = tap.group(`${width} px`);
	try {
		await g.step('the coordinator signs in', async () => {
			await signIn(page, logins.coordinator, logins.password);
			return true;
		});
		let csvHref = '';
		await g.step('the system list filtered by life cycle offers exports that carry the filter', async () => {
			await page.goto(`${O}/systems?lifecycle=operation`);
			const a = page.getByRole('link', { name: 'Exportera CSV', exact: true });
			csvHref = await a.getAttribute('href');
			const x = await page.getByRole('link', { name: 'Exportera Excel', exact: true }).getAttribute('href');
			if (!/lifecycle=operation/.test(csvHref || '') || !/\.xlsx\?.*lifecycle=operation/.test(x || ''))
				return { fail: `links: ${csvHref} ${x}` };
			return true;
		});
		await g.step('the CSV behind the link holds only systems in operation, with the extra columns', async () => {
			const r = await page.request.get(csvHref);
			const rows = csvRows(await r.text());
			const head = rows[0];
			const life = head.indexOf('Livscykel');
			const extra = ['Systemförvaltare', 'Beroenden', 'Informationsmängder som systemet hanterar']
				.map((h) => head.indexOf(h));
			if (r.status() !== 200 || life < 0 || extra.some((i) => i < 0))
				return { fail: `status ${r.status()}, header ${head.join('|')}` };
			const other = rows.slice(1).filter((c) => c.length > 1 && c[life] !== 'I drift');
			if (rows.length < 3 || other.length) return { fail: `${rows.length - 1} rows, ${other.length} not in operation` };
			if (!rows.slice(1).some((c) => c[extra[2]]))
				return { fail: 'no system names an information set' };
			return true;
		});
		await g.step('the import page links the CSV and Excel templates', async () => {
			await page.goto(`${O}/systems/import`);
			for (const [name, re] of [['Ladda ner mall (CSV)', /import-template\.csv$/],
				['Ladda ner mall (Excel)', /import-template\.xlsx$/]]) {
				const h = await page.getByRole('link', { name, exact: true }).getAttribute('href');
				if (!re.test(h || '')) return { fail: `${name}: ${h}` };
			}
			return true;
		});
		await tap.check(`${width} px: axe on the import page`, () => axe(page));
		await tap.check(`${width} px: the import page does not scroll sideways`, () => noSidewaysScroll(page));
		await shot(page, `import-${width}`);
		await g.step('a file with bad values comes back naming each value and what is allowed', async () => {
			await field(page, 'CSV-innehåll').fill(BAD);
			await activate(button(page, 'Förhandsgranska'));
			await page.getByRole('alert').first().waitFor();
			const t = await page.getByRole('alert').first().innerText();
			const want = ['"drift2" är inte ett av: Planerat, Under införande, I drift',
				'"5" är inte ett tillåtet värde (0–4)', 'Ingenting har importerats'];
			const miss = want.filter((w) => !t.includes(w));
			return miss.length ? { fail: `missing ${miss.join(' / ')} in:\n${t}` } : true;
		});
		await tap.check(`${width} px: axe on the import's problems`, () => axe(page));
		await tap.check(`${width} px: the problems do not scroll the page sideways`, () => noSidewaysScroll(page));
		await shot(page, `import-problems-${width}`);
		await g.step('the template\'s example row passes the preview', async () => {
			const r = await page.request.get(`${O}/systems/import-template.csv`);
			const text = (await r.text()).replace(/^\uFEFF/, '');
			await page.goto(`${O}/systems/import`);
			await field(page, 'CSV-innehåll').fill(text);
			await activate(button(page, 'Förhandsgranska'));
			await page.getByRole('status').filter({ hasText: 'kan importeras' }).first().waitFor();
			return true;
		});
		await tap.check(`${width} px: axe on the import preview`, () => axe(page));
		await shot(page, `import-preview-${width}`);
		await g.step('the Excel template is a workbook', async () => {
			const r = await page.request.get(`${O}/systems/import-template.xlsx`);
			const b = await r.body();
			return r.status() === 200 && b.subarray(0, 2).toString() === 'PK' ? true
				: { fail: `status ${r.status()}` };
		});
	} finally {
		await ctx.close();
	}
}

const watchdog = setTimeout(() => {
	tap.ok(false, `the run finishes within ${RUN_LIMIT_MS / 1000} s`);
	tap.plan();
	process.exit(1);
}, RUN_LIMIT_MS);

try {
	const varn = varnPath();
	const logins = initDemo(varn, tmp);
	server = await startServer(varn, logins.db);
	browser = await launchBrowser(tmp);
	await walk(1280, logins);
	await walk(390, logins);
} catch (e) {
	tap.ok(false, 'the run completes', e.stack || String(e));
} finally {
	if (browser) await browser.close().catch(() => {});
	if (server) await server.stop();
	removeTemp(tmp);
	clearTimeout(watchdog);
}
tap.plan();
process.exit(tap.failed ? 1 : 0);
