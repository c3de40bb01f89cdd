// web.test.mjs - the generic pages on a phone, on paper and by keyboard
// (issue 7, "Phones and print"), with Debian's chromium and axe-core.  TAP.
//
//   VARN=build/varn node tests/browser/web.test.mjs
//   SCREENSHOT_DIR=/tmp/web-shots VARN=... node tests/browser/web.test.mjs
//
// For each page of a set (start, systems list, a system, information list,
// audit trail, search results, a form with errors, sign-in), at 1280 and
// 390 px wide: axe (WCAG 2.0/2.1 A and AA, no serious or critical finding),
// and at 390 px nothing scrolls sideways (WCAG 1.4.10: the document is no
// wider than the window).  Then: after a failed submit the error summary
// has the focus (no JavaScript: `autofocus`); printed, a page shows its print
// header and no buttons, menu, search or "Visa" links; the keyboard's focus
// ring is drawn, in a colour with 3:1 against the page.
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
	Tap, WAIT_MS, initDemo, launchBrowser, makeTemp, newContext, signIn,
	slugForFile, startServer, varnPath,
} = lib;

const RUN_LIMIT_MS = 240000;
const SHOTS = process.env.SCREENSHOT_DIR || '';
const tap = new Tap();
const tmp = makeTemp('varn-web-');
const O = '/o/exempelstad';
let server = null;
let browser = null;

function axe(page) {
	return lib.axeSerious(AxeBuilder, page);
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

/* WCAG 1.4.10: the page is no wider than the window. */
async function noSidewaysScroll(page) {
	const w = await page.evaluate(() => {
		const d = document.documentElement;
		const wide = [];
		for (const el of document.body.querySelectorAll('*')) {
			const r = el.getBoundingClientRect();
			if (r.right > d.clientWidth + 1 && !el.closest('.table-wrap'))
				wide.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''} (${Math.round(r.right)})`);
		}
		return { sw: d.scrollWidth, cw: d.clientWidth, wide: wide.slice(0, 8) };
	});
	return w.sw <= w.cw || { fail: `scrollWidth ${w.sw} > clientWidth ${w.cw}: ${w.wide.join(', ')}` };
}

/* The contrast ratio of two CSS colours (WCAG relative luminance). */
function parseRgb(s) {
	const m = String(s).match(/rgba?\(([^)]+)\)/);
	return m ? m[1].split(',').slice(0, 3).map((x) => Number(x.trim())) : null;
}
function luminance([r, g, b]) {
	const f = (c) => {
		c /= 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}
function contrast(a, b) {
	const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
	return (x + 0.05) / (y + 0.05);
}

async function main() {
	const varn = varnPath();
	const logins = initDemo(varn, tmp);
	server = await startServer(varn, logins.db);
	browser = await launchBrowser(tmp);
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();

	// the sign-in page, before signing in, at both widths
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await page.goto('/logga-in');
		await tap.check(`sign-in at ${width} px: Swedish, with a language choice`, async () =>
			(await page.getAttribute('html', 'lang')) === 'sv' &&
			(await page.getByRole('link', { name: 'English' }).count()) === 1);
		await tap.check(`axe: sign-in at ${width} px`, () => axe(page));
		if (width === 390) await tap.check('sign-in at 390 px: no sideways scrolling', () => noSidewaysScroll(page));
		await shot(page, `signin-${width}`);
	}
	await page.setViewportSize({ width: 1280, height: 900 });
	await signIn(page, logins.coordinator, logins.password);

	// a system of the demo and the search word from it
	await page.goto(`${O}/systems`);
	const sysHref = await page.locator('table.list tbody th a').first().getAttribute('href');
	const sysName = (await page.locator('table.list tbody th a').first().innerText()).trim();
	tap.ok(!!sysHref, `the demo has a system (${sysName})`);

	const pages = [
		['start', `${O}/`],
		['systems list', `${O}/systems`],
		['a system', sysHref],
		['information list', `${O}/information`],
		['audit trail', `${O}/audit`],
		['search results', `${O}/search?q=${encodeURIComponent(sysName.split(' ')[0])}`],
		['roles list by person', `${O}/roles?sort=person_id`],
		['log rules', `${O}/audit/settings`],
		['a record history', `${O}/audit?entity=systems&entity_id=${(sysHref || '').split('/').pop()}`],
	];
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		for (const [name, url] of pages) {
			const resp = await page.goto(url);
			tap.ok(resp && resp.status() === 200, `${name} at ${width} px: 200`);
			await tap.check(`axe: ${name} at ${width} px`, () => axe(page));
			if (width === 390) await tap.check(`${name} at 390 px: no sideways scrolling`, () => noSidewaysScroll(page));
			await shot(page, `${name}-${width}`);
		}
		// a form with errors: the summary has the focus
		await page.goto(`${O}/systems/new`);
		await page.getByRole('button', { name: 'Spara' }).click();
		await page.waitForSelector('#errors');
		await tap.check(`a form with errors at ${width} px: the error summary has the focus`, async () => {
			const id = await page.evaluate(() => document.activeElement && document.activeElement.id);
			return id === 'errors' || { fail: `focus on #${id}` };
		});
		await tap.check(`axe: a form with errors at ${width} px`, () => axe(page));
		if (width === 390) await tap.check('a form with errors at 390 px: no sideways scrolling', () => noSidewaysScroll(page));
		await shot(page, `form-errors-${width}`);
	}

	// an archive confirmation page
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(`${O}/units`);
	const unitHref = await page.locator('table.list tbody th a').first().getAttribute('href');
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await page.goto(`${unitHref}/archive`);
		await tap.check(`the archive confirmation at ${width} px says what happens`, async () =>
			(await page.getByText('Posten finns kvar – ingenting raderas.').count()) === 1);
		await tap.check(`axe: the archive confirmation at ${width} px`, () => axe(page));
		if (width === 390) await tap.check('the archive confirmation at 390 px: no sideways scrolling', () => noSidewaysScroll(page));
		await shot(page, `archive-${width}`);
	}

	// print: no buttons, menu, search or "Visa" links; the print header
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(sysHref);
	await tap.check('on screen the print header is hidden', async () => !(await page.locator('.print-head').isVisible()));
	await page.emulateMedia({ media: 'print' });
	await tap.check('printed: the print header names the organisation, the page and the date', async () => {
		const ph = page.locator('.print-head');
		if (!(await ph.isVisible())) return { fail: 'not visible' };
		const t = await ph.innerText();
		return (/Exempelstad/.test(t) && t.includes(sysName) && /\d{4}-\d{2}-\d{2}/.test(t)) || { fail: t };
	});
	await tap.check('printed: no button, menu or search is shown', async () => {
		const shown = await page.evaluate(() => [...document.querySelectorAll('button, .button, nav.menu, .site-search')]
			.filter((el) => el.getBoundingClientRect().width > 0 && getComputedStyle(el).display !== 'none'
				&& getComputedStyle(el).visibility !== 'hidden').map((el) => el.outerHTML.slice(0, 80)));
		return !shown.length || { fail: shown.slice(0, 5).join('\n') };
	});
	await tap.check('printed: no "Visa" link is shown', async () => {
		const shown = await page.evaluate(() => [...document.querySelectorAll('a')]
			.filter((a) => /^\s*Visa\b/.test(a.textContent) && a.getBoundingClientRect().width > 0)
			.map((a) => a.textContent.trim()));
		return !shown.length || { fail: shown.join(', ') };
	});
	await shot(page, 'print-system');
	await page.emulateMedia({ media: 'screen' });

	// the keyboard's focus ring: drawn, with 3:1 against the page
	await page.goto(`${O}/systems`);
	for (let k = 0; k < 10; k++) {
		await page.keyboard.press('Tab');
		await tap.check(`the focus ring is drawn on focusable element ${k + 1} (Tab), with 3:1 contrast`, async () => {
			const f = await page.evaluate(() => {
				const el = document.activeElement;
				const s = getComputedStyle(el);
				let bg = 'rgb(255, 255, 255)';
				for (let p = el.parentElement; p; p = p.parentElement) { // the ring lies outside the element
					const c = getComputedStyle(p).backgroundColor;
					if (c && c !== 'transparent' && !/rgba\(.*, 0\)$/.test(c)) { bg = c; break; }
				}
				return { tag: el.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
					shadow: s.boxShadow, bg };
			});
			if (f.style === 'none' || !(f.width >= 2)) return { fail: JSON.stringify(f) };
			// the ring is yellow with a halo (dark on the page, white on the
			// dark header): one of the two has 3:1 against what is behind it
			const ring = parseRgb(f.color), halo = parseRgb(f.shadow), bg = parseRgb(f.bg);
			const okAll = Math.max(contrast(ring, bg), halo ? contrast(halo, bg) : 0) >= 3;
			return okAll || { fail: JSON.stringify(f) };
		});
	}
	// a focusable table region (axe scrollable-region-focusable)
	await page.goto(`${O}/audit`);
	await tap.check('the audit table scrolls in a region the keyboard reaches', async () =>
		(await page.locator('.table-wrap[tabindex="0"][role="region"]').count()) >= 1);
	await ctx.close();
}

await lib.runTest(tap, 'the web tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
