import { launchBrowser, newContext, signIn, makeTemp } from '/work/main/tests/browser/lib.mjs';
import fs from 'node:fs';
const base = 'http://127.0.0.1:' + fs.readFileSync('/tmp/vt/port','utf8').trim();
const b = await launchBrowser(makeTemp());
const ctx = await newContext(b, base);
const page = await ctx.newPage();
await signIn(page, 'samordnare@exempelstad.se', 'demo-Exempelstad-2026');
for (const p of ['/o/exempelstad/audit', '/o/exempelstad/people/new', '/konto']) {
  await page.goto(p);
  const cdp = await ctx.newCDPSession(page); const { nodes } = await cdp.send('Accessibility.getFullAXTree'); await cdp.detach();
  const c = {}; for (const n of nodes) if (!n.ignored) { const r = n.role?.value; if (!/^(StaticText|InlineTextBox|generic|cell|row|paragraph|list|listitem|code|LineBreak|link|time|insertion|none|LabelText|rowgroup|columnheader|table|heading|group|rowheader|strong)$/.test(r)) { c[r] = c[r] || []; c[r].push(n.name?.value); } }
  console.log(p, JSON.stringify(c).slice(0, 1500));
}
await b.close();
