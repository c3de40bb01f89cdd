// documents.test.mjs - documents (issue 8, "Documents (PDF)"): the system
// list links the register's print view and PDF; the print view is the
// register with its header, in Swedish, with no serious or critical axe
// finding; the PDF link downloads a PDF without JavaScript; the system
// page links the classification record, which downloads too.  TAP.
//
//   VARN=build/varn node tests/browser/documents.test.mjs
//   SCREENSHOT_DIR=/tmp/doc-shots VARN=build/varn node tests/browser/documents.test.mjs
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
	Tap, axeSerious, initDemo, launchBrowser, makeTemp, newContext,
	signIn, startServer, varnPath,
} = lib;

const RUN_LIMIT_MS = 180000;
const SHOTS = process.env.SCREENSHOT_DIR || '';

const tap = new Tap();
const tmp = makeTemp('varn-documents-');
let server = null;
let browser = null;

async function download(page, locator) {
	const [dl] = await Promise.all([page.waitForEvent('download'), locator.click()]);
	const path = await dl.path();
	const fs = await import('node:fs');
	const head = fs.readFileSync(path).subarray(0, 5).toString('latin1');
	return { name: dl.suggestedFilename(), head };
}

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}/`;
	// no JavaScript: links and downloads work as plain HTML
	const ctx = await newContext(browser, server.base, { javaScriptEnabled: false, acceptDownloads: true });
	const page = await ctx.newPage();
	await signIn(page, demo.coordinator, demo.password);

	await page.goto(`${O}systems`);
	const print = page.locator('a', { hasText: 'Systemförteckning – skriv ut' });
	tap.ok(await print.count() === 1, 'the system list links the print view');
	await print.click();
	await page.waitForLoadState();
	tap.ok(/\/documents\/system-register$/.test(new URL(page.url()).pathname), 'the print view opens');
	tap.ok((await page.locator('h1').innerText()).includes('Systemförteckning'), 'its heading is the title');
	const rows = await page.locator('table.doc-table tbody tr').count();
	tap.ok(rows === 43, `the demo's 43 systems are rows (${rows})`);
	tap.ok(await page.locator('table.doc-table thead th').count() === 8, 'the header has 8 columns');
	if (SHOTS) {
		const fs = await import('node:fs');
		fs.mkdirSync(SHOTS, { recursive: true });
		await page.screenshot({ path: `${SHOTS}/print-view.png`, fullPage: true });
		await page.emulateMedia({ media: 'print' });
		await page.screenshot({ path: `${SHOTS}/print-view-print.png`, fullPage: true });
		await page.emulateMedia({ media: 'screen' });
	}
	const got = await download(page, page.locator('a', { hasText: 'Ladda ned som PDF' }));
	tap.ok(got.head === '%PDF-', 'the print view\'s link downloads a PDF without JavaScript');
	tap.ok(/^systemforteckning-exempelstad-\d{4}-\d\d-\d\d\.pdf$/.test(got.name), `its file name: ${got.name}`);

	await page.goto(`${O}systems`);
	const first = page.locator('table a[href*="/systems/"]').first();
	await first.click();
	await page.waitForLoadState();
	const rec = page.locator('a', { hasText: 'Klassningsprotokoll (PDF)' });
	tap.ok(await rec.count() === 1, 'the system page links its classification record');
	const got2 = await download(page, rec);
	tap.ok(got2.head === '%PDF-' && /^klassningsprotokoll-exempelstad-/.test(got2.name),
		`the classification record downloads (${got2.name})`);
	const recPrint = await page.locator('a', { hasText: 'Klassningsprotokoll – skriv ut' }).getAttribute('href');
	await ctx.close();

	// axe runs in the page: a context with JavaScript for it
	const jctx = await newContext(browser, server.base);
	const jpage = await jctx.newPage();
	await signIn(jpage, demo.coordinator, demo.password);
	await jpage.goto(`${O}documents/system-register`);
	await tap.check('axe on the register\'s print view', () => axeSerious(AxeBuilder, jpage));
	await jpage.goto(recPrint);
	tap.ok((await jpage.locator('h1').innerText()).includes('Klassningsprotokoll'), 'the record\'s print view');
	await tap.check('axe on the classification record\'s print view', () => axeSerious(AxeBuilder, jpage));
	await jctx.close();
}

await lib.runTest(tap, 'the document browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
