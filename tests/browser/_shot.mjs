import { launchBrowser, makeTemp, newContext, signIn } from './lib.mjs';
const base = 'http://127.0.0.1:18391';
const tmp = makeTemp();
const b = await launchBrowser(tmp);
for (const width of [1280, 390]) {
	const ctx = await newContext(b, base, { viewport: { width, height: 900 } });
	const p = await ctx.newPage();
	await signIn(p, 'samordnare@exempelstad.se', 'demo-Exempelstad-2026');
	await p.goto('/o/exempelstad/gap');
	await p.locator('section[aria-labelledby=gap-heat]').screenshot({ path: `/tmp/go/heat-${width}.png` });
	await p.screenshot({ path: `/tmp/go/gap-top-${width}.png` });
	await p.goto('/o/exempelstad/gap/systems?show=new');
	await p.screenshot({ path: `/tmp/go/sys-${width}.png` });
	await ctx.close();
}
await b.close();
