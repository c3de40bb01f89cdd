// incidents.test.mjs - handling an incident (issue 11) in the browser, by
// keyboard: the coordinator registers a report of a lost laptop, is told on
// the start page that it waits, finds it in the queue with the time since
// the report, receives it, assesses it (personal data: a reporting duty),
// links the affected system, adds a troubleshooting note to the timeline,
// restores operations, investigates and turns the lessons into an activity
// of the action plan.  The incident page, the queue and the list pass axe
// at 1280 and 390 px without sideways scrolling; a plain employee cannot
// open the incident (R-8-12, R-8-13, R-8-14, R-8-15, R-8-22, R-8-23).  TAP.
//
//   VARN=build/varn node tests/browser/incidents.test.mjs
//   SCREENSHOT_DIR=/tmp node tests/browser/incidents.test.mjs  (/tmp/incidents-*.png)
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
const tmp = makeTemp('varn-incidents-');
let server = null;
let browser = null;

async function main() {
	const varn = varnPath();
	const demo = initDemo(varn, tmp);
	server = await startServer(varn, demo.db);
	browser = await launchBrowser(tmp);
	const O = `/o/${demo.org}/`;
	const ctx = await newContext(browser, server.base);
	const page = await ctx.newPage();
	await signIn(page, demo.coordinator, demo.password);
	const main = () => page.getByRole('main');

	// the security function registers a report received by phone
	await page.goto(`${O}incidents/new`);
	await field(page, 'Rubrik').fill('Bärbar dator borttappad på bussen');
	await page.getByLabel(/^\s*Vad har hänt\?/).selectOption('lost_equipment');
	await field(page, 'Beskrivning').fill('Hemtjänstens dator med brukarlistor glömdes på buss 4.');
	await page.getByLabel(/^\s*Kan personuppgifter vara berörda\?/).selectOption('yes');
	await activate(button(main(), 'Spara'));
	await waitForPath(page, /\/incidents\/\d+$/);
	const incUrl = page.url();
	const receipt = ((await main().innerText()).match(/IN-\d{4}-\d{4}/) || [])[0];
	tap.ok(!!receipt, `a receipt number (${receipt})`);
	tap.ok((await main().innerText()).includes('Nästa steg:'), 'the page says what comes next');
	await shot(page, 'incidents-new-1280');

	// the start page tells of it; the queue holds it with the time since
	await page.goto(O);
	const line = page.locator('ul.waiting a', { hasText: /ny(a)? incidentrapport(er)? väntar/ });
	tap.ok(await line.count() === 1, 'the coordinator is told a new report waits');
	await activate(line);
	await waitForPath(page, /\/incident-queue$/);
	tap.ok((await main().innerText()).includes(receipt), 'the queue lists it');
	tap.ok(/\d+ min/.test(await main().innerText()), 'with the time since the report');
	await checkWidths(tap, AxeBuilder, page, 'incidents-queue', shot);

	// received and assessed by keyboard
	await page.goto(incUrl);
	await activate(link(main(), 'Ta emot'));
	await activate(button(main(), 'Ta emot'));
	await waitForPath(page, /\/incidents\/\d+$/);
	tap.ok((await main().innerText()).includes('Mottagen'), 'received');
	await activate(link(main(), 'Bedöm'));
	await field(page, 'Konsekvens (0–4)').fill('2');
	await page.getByLabel(/^\s*Omfattning/).selectOption('unit');
	await page.getByLabel(/^\s*Brådska/).selectOption('high');
	await page.getByLabel('Konfidentialitet har skadats').check();
	await page.getByLabel('Personuppgiftsincident').check();
	await field(page, 'Motivering').fill('Okrypterad dator med brukaruppgifter.');
	await shot(page, 'incidents-assess-1280');
	await tap.check('axe on the assessment', () => lib.axeSerious(AxeBuilder, page));
	await activate(button(main(), 'Bedöm'));
	await waitForPath(page, /\/incidents\/\d+$/);
	const text = await main().innerText();
	tap.ok(/Allvarlighet\s*3/.test(text) || text.includes('3 – Allvarlig incident'),
		'severity 3, in the organisation\'s words');
	tap.ok(text.includes('Brådska: Samma dag (+1)'), 'with the reason');
	// the personal-data breach's duty: IMY within 72 hours, with its draft (R-8-17)
	tap.ok(/72 h 0 min kvar|71 h \d+ min kvar/.test(text), 'the IMY clock counts down from 72 hours');
	await activate(link(main(), 'Utkast till anmälan till IMY'));
	await waitForPath(page, /\/documents\/imy-breach-draft$/);
	tap.ok((await main().innerText()).includes(receipt), 'the draft for IMY names the incident');
	await tap.check('axe on the IMY draft', () => lib.axeSerious(AxeBuilder, page));
	await shot(page, 'incidents-imy-draft-1280');
	await page.goto(`${O}breach-register`);
	tap.ok((await main().innerText()).includes(receipt), 'the breach register (GDPR art. 33.5) lists it');
	await checkWidths(tap, AxeBuilder, page, 'incidents-breach-register', shot);
	await page.goto(incUrl);

	// a troubleshooting note on the timeline
	await page.getByLabel(/^\s*Slag/).selectOption('troubleshooting');
	await field(page, 'Ny anteckning').fill('Leverantören har spärrat datorn.');
	await activate(button(main(), 'Lägg till i tidslinjen'));
	await waitForPath(page, /\/incidents\/\d+$/);
	tap.ok((await main().innerText()).includes('Leverantören har spärrat datorn.'),
		'the note is on the timeline');

	// restored, investigated, lessons to the action plan
	await activate(button(main(), 'Påbörja åtgärder'));
	await waitForPath(page, /\/incidents\/\d+$/);
	await activate(link(main(), 'Verksamheten är återställd'));
	await field(page, 'Vidtagna åtgärder').fill('Datorn spärrad och fjärrraderad.');
	await activate(button(main(), 'Verksamheten är återställd'));
	await waitForPath(page, /\/incidents\/\d+$/);
	await activate(link(main(), 'Utredningen är klar'));
	await page.getByLabel(/^\s*Typ av grundorsak/).selectOption('human_error');
	await field(page, 'Grundorsak').fill('Datorerna i hemtjänsten är inte krypterade.');
	await field(page, 'Lärdomar och förbättringar').fill('Kryptera alla bärbara datorer.');
	await activate(button(main(), 'Utredningen är klar'));
	await waitForPath(page, /\/incidents\/\d+$/);
	tap.ok((await main().innerText()).includes('Utredd'), 'investigated');
	await checkWidths(tap, AxeBuilder, page, 'incidents-page', shot);
	await field(page, 'Aktivitet').fill('Kryptera hemtjänstens bärbara datorer');
	await activate(button(main(), 'Lägg till i handlingsplanen'));
	await waitForPath(page, /\/activities\/\d+$/);
	tap.ok((await main().innerText()).includes('Kryptera hemtjänstens bärbara datorer'),
		'the lessons became an activity of the action plan');
	await page.goto(incUrl);
	tap.ok((await main().innerText()).includes('Kryptera hemtjänstens bärbara datorer'),
		'the incident lists it');

	// the process documented, the way of working assessed (R-8-28, R-8-30)
	await page.goto(`${O}incident-processes/new`);
	await field(page, 'Benämning').fill('Incidentprocess');
	await field(page, 'Version').fill('1.0');
	await field(page, 'Processen').fill('Anmäl i Värn, samordnaren tar emot och bedömer.');
	await field(page, 'Vad som ändrades').fill('Första versionen');
	await field(page, 'Varför').fill('Ny process efter självskattningen');
	await activate(button(main(), 'Spara'));
	await waitForPath(page, /\/incident-processes\/\d+$/);
	tap.ok((await main().innerText()).includes('Underlag'), 'a process version with its inputs');
	await checkWidths(tap, AxeBuilder, page, 'incidents-process', shot);
	await page.goto(`${O}incident-self-assessments/new`);
	await checkWidths(tap, AxeBuilder, page, 'incidents-self-assessment-form', shot);
	await field(page, 'Benämning').fill('Självskattning 2026');
	await page.getByLabel(/^\s*Datum/).fill('2026-11-30');
	await page.getByLabel(/Vet medarbetarna hur de ska agera\?/).fill('Nej, de flesta vet inte.');
	await page.getByLabel(/^\s*Slutsatser/).fill('Informera alla om hur man rapporterar.');
	await activate(button(main(), 'Spara'));
	await waitForPath(page, /\/incident-self-assessments\/\d+$/);
	tap.ok((await main().innerText()).includes('Nej, de flesta vet inte.'), 'a self-assessment saved');
	await tap.check('axe on a self-assessment', () => lib.axeSerious(AxeBuilder, page));

	// the list
	await page.goto(`${O}incidents?sort=reported_at&desc=1`);
	tap.ok((await main().innerText()).includes(receipt), 'the list, newest first');
	await checkWidths(tap, AxeBuilder, page, 'incidents-list', shot);
	await ctx.close();

	// a plain employee does not see it
	const uctx = await newContext(browser, server.base);
	const up = await uctx.newPage();
	await signIn(up, 'anvandare@exempelstad.se', demo.password);
	const resp = await up.goto(incUrl);
	tap.ok(resp.status() === 404, `a plain employee gets 404 (${resp.status()})`);
	await uctx.close();
}

await lib.runTest(tap, 'the incident browser tests', RUN_LIMIT_MS, main, () => ({ server, browser, tmp }));
