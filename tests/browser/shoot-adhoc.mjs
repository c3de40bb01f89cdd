// ad hoc (not committed): screenshots of given paths as a demo user
import path from 'node:path';
import { initDemo, launchBrowser, makeTemp, newContext, removeTemp, signIn, startServer, varnPath, KNOWN } from './lib.mjs';
const [out, who, ...paths] = process.argv.slice(2);
const tmp = makeTemp();
const logins = initDemo(varnPath(), tmp);
const server = await startServer(varnPath(), logins.db);
const browser = await launchBrowser(tmp);
try {
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, who, logins.password, { orgName: null });
	for (const p of paths) {
		const name = p.replace(/[^a-z0-9]+/gi, '_');
		for (const w of [1280, 390]) {
			await page.setViewportSize({ width: w, height: 900 });
			await page.goto(p);
			await page.screenshot({ path: path.join(out, `${name}-${w}.png`), fullPage: true });
		}
	}
} finally {
	await browser.close();
	server.proc.kill();
	removeTemp(tmp);
}
