// The playground page of `telpolicy serve`, driven in Debian's chromium: samples, decisions, the
// trace, errors, narrow screens, the transfer PIN never shown or stored, and the rules editor
// (--playground-rules): a mistake's diagnostic, its fix, the new decision, the policy tests, the
// diagram; and, on a server without the option, the page saying how to turn it on.
//
//   node tests/browser/playground.test.mjs --binary build/bin/telpolicy \
//     --plugins build/lib/telpolicy/plugins --rules build/share/telpolicy/rules --out build/tests/browser
//
// (or TELPOLICY_BINARY, TELPOLICY_PLUGIN_DIR, TELPOLICY_RULES_DIR, TELPOLICY_SCREENSHOT_DIR).
// Needs `npm ci --prefix tests/browser` (playwright-core only: no browser is downloaded) and
// /usr/bin/chromium (Debian: apt-get install chromium).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    binary: { type: 'string', default: process.env.TELPOLICY_BINARY },
    plugins: { type: 'string', default: process.env.TELPOLICY_PLUGIN_DIR },
    rules: { type: 'string', default: process.env.TELPOLICY_RULES_DIR },
    out: { type: 'string', default: process.env.TELPOLICY_SCREENSHOT_DIR ?? tmpdir() },
    chromium: { type: 'string', default: process.env.TELPOLICY_CHROMIUM ?? '/usr/bin/chromium' },
  },
  allowPositionals: true,
});

function giveUp(message) {
  console.error(`playground.test: ${message}`);
  process.exit(1);
}
if (!options.binary) giveUp('say which telpolicy to run: --binary PATH (or TELPOLICY_BINARY)');
if (!existsSync(options.binary)) giveUp(`${options.binary} does not exist: build it first (ninja telpolicy)`);
if (!existsSync(join(here, 'node_modules', 'playwright-core'))) {
  giveUp(`${join(here, 'node_modules')} is missing: run \`npm ci --prefix ${here}\` ` +
         '(installs playwright-core from package-lock.json; no browser download)');
}
if (!existsSync(options.chromium)) giveUp(`${options.chromium} is missing: apt-get install -y chromium`);
const { chromium } = await import('playwright-core');

const ALLOWED_FORM = 'Letter of Authorization (LOA) for the U.S. (Toll Free numbers)';
const SAMPLE_PIN = '73829';      // the too-short PIN of the "set-pin-too-short" sample
const TYPED_PIN = '90x4417';     // a PIN typed by hand, found nowhere in the page's source

let server = null;               // { child, url, stderr, exited }
let context = null;              // the persistent browser context (its own fresh user-data-dir)
let page = null;
let userDataDir = null;
const consoleLines = [];
const pageErrors = [];

function startServer(serveOptions = ['--playground-rules']) {
  const args = [];
  if (options.plugins) args.push('--plugins', options.plugins);
  if (options.rules) args.push('--rules', options.rules);
  args.push('serve', '--listen', '127.0.0.1:0', ...serveOptions);
  const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const state = { child, url: null, stderr: '', exited: null };
  child.stderr.on('data', (chunk) => { state.stderr += chunk; });
  state.exitPromise = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => { state.exited = { code, signal }; resolveExit(state.exited); });
  });
  return new Promise((resolveStart, rejectStart) => {
    let stdout = '';
    const timer = setTimeout(() => rejectStart(new Error(
      `telpolicy serve printed no "listening on" line within 20 s; stdout: ${stdout}; stderr: ${state.stderr}`)), 20000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /^telpolicy: listening on (http:\/\/127\.0\.0\.1:(\d+))\s*$/m.exec(stdout);
      if (match && !state.url) {
        clearTimeout(timer);
        state.url = match[1];
        resolveStart(state);
      }
    });
    child.on('error', (error) => { clearTimeout(timer); rejectStart(error); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!state.url) rejectStart(new Error(`telpolicy serve exited (${code ?? signal}) before listening: ${state.stderr}`));
    });
  });
}

async function stopServer(signal = 'SIGTERM') {
  if (!server || server.exited) return server?.exited ?? null;
  server.child.kill(signal);
  const timeout = new Promise((r) => setTimeout(() => r(null), 5000));
  const result = await Promise.race([server.exitPromise, timeout]);
  if (!result) {
    server.child.kill('SIGKILL');
    await server.exitPromise;
    return { code: null, signal: 'SIGKILL (did not stop within 5 s of SIGTERM)' };
  }
  return result;
}

// Whatever happens, the server does not outlive the test.
process.on('exit', () => { if (server && !server.exited) server.child.kill('SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));

async function choose(sampleId) {
  await page.getByLabel('Start from a sample').selectOption(sampleId);
}
async function decideAndWait() {
  const decided = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/decisions' &&
                                              r.request().method() === 'POST' && !r.url().includes('explain'));
  await page.getByRole('button', { name: 'Decide', exact: true }).click();
  await decided;
  await page.waitForFunction(() => document.getElementById('result').getAttribute('aria-busy') === 'false');
}
async function violationCodes() {
  return page.locator('[data-testid="violation"]').evaluateAll((items) => items.map((li) => li.dataset.code));
}
// Every place the page could leak a PIN to: what it shows, its markup, its storage, its URL.
async function pageCarries(secret) {
  return page.evaluate((s) => {
    const places = {
      text: document.body.innerText,
      markup: document.documentElement.outerHTML,
      url: location.href,
      localStorage: JSON.stringify({ ...localStorage }),
      sessionStorage: JSON.stringify({ ...sessionStorage }),
      title: document.title,
    };
    return Object.entries(places).filter(([, value]) => value.includes(s)).map(([name]) => name);
  }, secret);
}

before(async () => {
  mkdirSync(options.out, { recursive: true });
  server = await startServer();
  userDataDir = mkdtempSync(join(tmpdir(), 'telpolicy-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: options.chromium,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'],
  });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  const response = await page.goto(server.url + '/');
  assert.equal(response.status(), 200, 'GET / answers 200');
});

after(async () => {
  if (context) await context.close().catch(() => {});
  await stopServer('SIGKILL');
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  if (server?.stderr) process.stderr.write(`--- telpolicy serve stderr\n${server.stderr}`);
});

test('the page loads with its samples, labels and the plugins the server has', async () => {
  assert.equal(await page.title(), 'telpolicy playground');
  const samples = await page.locator('#sample option').evaluateAll((options) => options.map((o) => o.value));
  for (const id of ['port-in-user', 'port-in-toll-free', 'new-numbers', 'convert-to-service', 'transfer-tenant',
                    'set-pin', 'set-pin-too-short', 'clear-pin', 'invalid']) {
    assert.ok(samples.includes(id), `the picker offers ${id}`);
  }
  await page.getByLabel('Request (JSON, as in the decision contract)').waitFor();
  await page.waitForFunction(() => /us 1\.0\.0/.test(document.getElementById('server-info').textContent));
  assert.equal(await page.locator('#status').getAttribute('aria-live'), 'polite');
});

test('an allowed toll-free port-in shows its form, mailbox, Decision-Id and the trace of every rule', async () => {
  await choose('port-in-toll-free');
  await decideAndWait();
  assert.equal(await page.getByTestId('verdict').getAttribute('data-allowed'), 'true');
  assert.match(await page.getByTestId('verdict').innerText(), /Allowed/);
  const form = page.getByTestId('form');
  assert.equal(await form.count(), 1);
  assert.equal(await form.locator('.form-title').innerText(), ALLOWED_FORM);
  assert.match(await form.innerText(), /version 3\.1 · locale en-US/);
  assert.match(await form.getByRole('link', { name: /Download the form/ }).getAttribute('href'), /^https?:\/\/.+\.pdf$/);
  assert.equal(await page.getByTestId('mailbox').innerText(), 'ptn@microsoft.com');
  const contact = page.getByTestId('contact');
  assert.equal(await contact.count(), 1);
  assert.equal(await contact.getAttribute('data-kind'), 'mailbox');
  assert.match(await contact.innerText(), /ptn@microsoft\.com/);
  assert.match(await page.getByTestId('requires').innerText(), /loa/);
  assert.match(await page.getByTestId('matched-rules').innerText(), /us\.port-in\.toll-free/);
  const decisionId = await page.getByTestId('decision-id').innerText();
  assert.ok(decisionId.length > 0 && decisionId !== '(none sent)', `a Decision-Id is shown (got "${decisionId}")`);

  await page.getByTestId('trace-step').first().waitFor();
  const steps = await page.getByTestId('trace-step').evaluateAll((items) => items.map((li) => ({
    rule: li.dataset.rule, outcome: li.dataset.outcome, text: li.innerText,
    location: li.querySelector('.location')?.getAttribute('title') ?? '',
  })));
  assert.ok(steps.length >= 10, `the trace lists every rule (got ${steps.length})`);
  assert.deepEqual(steps.find((s) => s.rule === 'us.port-in.toll-free')?.outcome, 'matched');
  const notMatched = steps.find((s) => s.rule === 'us.port-in.user-and-service');
  assert.equal(notMatched?.outcome, 'not matched');
  assert.match(notMatched.text, /first failing condition: needs number_type/);
  for (const step of steps) assert.match(step.location, /\.yaml:\d+:\d+$/, `${step.rule} has its file:line:column`);
  assert.match(await page.getByTestId('trace-summary').innerText(), /\d+ matched/);
  assert.match(await page.getByTestId('status').innerText(), /^Allowed/);
  await page.screenshot({ path: join(options.out, 'playground-1280.png'), fullPage: true });
});

test('the raw JSON toggle shows the responses as sent', async () => {
  const toggle = page.getByTestId('raw-toggle');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const raw = await page.getByTestId('raw').innerText();
  assert.match(raw, /POST \/v1\/decisions → HTTP 200/);
  assert.match(raw, /"mailbox": "ptn@microsoft\.com"/);
  assert.match(raw, /"trace": \[/);
  await toggle.click();
  assert.equal(await page.getByTestId('raw').isHidden(), true);
});

test('a PIN error shows its violation code and never the PIN, nor keeps it', async () => {
  await choose('set-pin-too-short');
  // Ctrl+Enter from the editor decides too.
  const decided = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/decisions' && !r.url().includes('explain'));
  await page.getByLabel('Request (JSON, as in the decision contract)').press('Control+Enter');
  await decided;
  await page.waitForFunction(() => document.getElementById('result').getAttribute('aria-busy') === 'false');
  assert.equal(await page.getByTestId('verdict').getAttribute('data-allowed'), 'false');
  assert.deepEqual(await violationCodes(), ['pin.length']);
  await page.getByTestId('raw-toggle').click();   // the raw responses, shown, carry no PIN either
  const shown = await page.evaluate(() => document.body.innerText);
  assert.ok(!shown.includes(SAMPLE_PIN), 'the sample PIN is not shown anywhere (decision, trace, raw JSON)');
  assert.deepEqual((await pageCarries(SAMPLE_PIN)).filter((place) => place !== 'markup'), [],
                   'nor is it in the URL or the storage (the page source holds it as a sample)');

  // A PIN typed by hand, in nothing the server sent: not in the page at all, not stored.
  await page.getByLabel('Request (JSON, as in the decision contract)').fill(
    JSON.stringify({ country: 'US', action: 'set_pin', pin: TYPED_PIN }));
  await decideAndWait();
  assert.deepEqual(await violationCodes(), ['pin.format']);
  assert.deepEqual(await pageCarries(TYPED_PIN), [], 'the typed PIN is nowhere in the page, its URL or its storage');
  assert.ok(consoleLines.every((line) => !line.includes(TYPED_PIN) && !line.includes(SAMPLE_PIN)), 'nor in the console');
  await page.getByTestId('raw-toggle').click();
  await page.screenshot({ path: join(options.out, 'playground-pin-error.png'), fullPage: true });
});

test('the invalid sample and text that is not JSON show request.invalid', async () => {
  await choose('invalid');
  await decideAndWait();
  assert.deepEqual(await violationCodes(), ['request.invalid']);
  assert.equal(await page.getByTestId('verdict').getAttribute('data-allowed'), 'false');

  await page.getByLabel('Request (JSON, as in the decision contract)').fill('{"country": "US", "action": ');
  assert.match(await page.getByTestId('request-check').innerText(), /Not valid JSON/);
  await decideAndWait();
  assert.deepEqual(await violationCodes(), ['request.invalid']);
  const error = page.getByRole('alert');
  assert.match(await error.innerText(), /HTTP 400 Bad Request\): request\.invalid: /);
});

test('a network error gives a clear message, and the page recovers', async () => {
  await page.route('**/v1/decisions**', (route) => route.abort('connectionrefused'));
  await choose('new-numbers');
  await page.getByRole('button', { name: 'Decide', exact: true }).click();
  await page.getByRole('alert').waitFor({ state: 'visible' });
  assert.match(await page.getByRole('alert').innerText(), /Could not reach the telpolicy server/);
  assert.equal(await page.getByTestId('decision').isHidden(), true);
  await page.unroute('**/v1/decisions**');
  await decideAndWait();
  assert.equal(await page.getByRole('alert').isHidden(), true);
  assert.match(await page.getByTestId('forms').innerText(), /New Phone Number Request for the U\.S\./);
});

test('at 400 px wide the page fits the screen', async () => {
  await page.setViewportSize({ width: 400, height: 860 });
  await choose('port-in-user');
  await decideAndWait();
  await page.getByTestId('trace-step').first().waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 400, `no horizontal scrolling at 400 px (content is ${width} px wide)`);
  const decideBox = await page.getByRole('button', { name: 'Decide', exact: true }).boundingBox();
  assert.ok(decideBox && decideBox.x >= 0 && decideBox.x + decideBox.width <= 400, 'the Decide button is on screen');
  await page.screenshot({ path: join(options.out, 'playground-400.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('a request without a PIN is kept as a draft across visits; one with a PIN is not', async () => {
  await choose('port-in-many');
  await page.reload();
  assert.match(await page.getByLabel('Request (JSON, as in the decision contract)').inputValue(), /"count": 1200/);
  await choose('convert-to-service');
  await page.reload();
  const restored = await page.getByLabel('Request (JSON, as in the decision contract)').inputValue();
  assert.doesNotMatch(restored, /"pin"/, 'a request holding a PIN is never stored');
  assert.deepEqual(await pageCarries('482916'), ['markup'], 'the PIN of the sample is only in the page source');
});


// ----- The rules editor -----
const EDITOR = '[data-testid="rules-editor"]';
const TYPO_FROM = '      number_type: [user, unspecified]\n    then:\n      forms: [us-new-numbers-subscriber]';
const TYPO_TO = '      number_typo: [user, unspecified]\n    then:\n      forms: [us-new-numbers-subscriber]';
const lineOf = (text, what) => text.slice(0, text.indexOf(what)).split('\n').length;
async function rulesStatus(pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('rules-status').textContent),
                             pattern.source);
  return page.getByTestId('rules-status').innerText();
}

test('the rules editor starts from the served US rules, with line numbers and their diagram drawn', async () => {
  await page.goto(server.url + '/');
  await page.waitForFunction(() => document.getElementById('rules-text').value.includes('plugin: us'));
  assert.equal(await page.getByTestId('rules-off').isHidden(), true);
  assert.equal(await page.getByTestId('rules-plugin').inputValue(), 'us');
  assert.match(await rulesStatus(/The rules load: 0 errors/), /0 errors/);
  const text = await page.locator(EDITOR).inputValue();
  const gutterLines = (await page.getByTestId('gutter').innerText()).trim().split('\n').length;
  assert.equal(gutterLines, text.split('\n').length, 'one line number per line of the rules');
  const diagram = page.getByTestId('diagram');
  await diagram.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.getElementById('diagram').complete &&
                                   document.getElementById('diagram').naturalWidth > 0);
  const size = await diagram.evaluate((img) => ({ width: img.naturalWidth, height: img.naturalHeight, src: img.src }));
  assert.ok(size.width > 800 && size.height > 500, `the diagram is a picture (${size.width}x${size.height})`);
  assert.match(decodeURIComponent(size.src), /^data:image\/svg\+xml;charset=utf-8,<svg /, 'drawn from SVG, not Mermaid text');
  assert.match(decodeURIComponent(size.src), /us\.port-in\.toll-free/);
  await page.getByTestId('rules-section').screenshot({ path: join(options.out, 'playground-rules-editor.png') });
});

test('an edited rule with a mistake gets a diagnostic at its line, which a click jumps to', async () => {
  const served = await page.locator(EDITOR).inputValue();
  assert.ok(served.includes(TYPO_FROM), 'the rule to edit is in the served rules');
  const broken = served.replace(TYPO_FROM, TYPO_TO);
  const line = lineOf(broken, 'number_typo');
  await page.locator(EDITOR).fill(broken);
  await rulesStatus(/The rules do not load: 1 error/);
  const diagnostic = page.getByTestId('diagnostic');
  assert.equal(await diagnostic.count(), 1);
  assert.equal(await diagnostic.getAttribute('data-line'), String(line));
  assert.match(await diagnostic.innerText(), new RegExp(`us\\.yaml:${line}:7 error rules\\.invalid .*did you mean 'number_type'\\?`));
  assert.equal(await page.locator(`[data-testid="line-mark"][data-line="${line}"]`).count(), 1, 'the line is highlighted');
  assert.equal(await page.locator('.gutter .bad').innerText(), String(line), 'and marked in the gutter');
  assert.equal(await page.getByTestId('diagram').isHidden(), true, 'rules that do not load are not drawn');
  await diagnostic.getByRole('button').click();
  const selected = await page.locator(EDITOR).evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.equal(selected, 'number_typo: [user, unspecified]', 'the click selects the place in the rules');
  assert.equal(await page.getByTestId('current-line').evaluate((m) => m.style.top),
               `${8 + (line - 1) * 20}px`, 'and marks its line');
  await page.getByTestId('rules-section').screenshot({ path: join(options.out, 'playground-rules-diagnostic.png') });
});

test('the fixed rules decide the request anew, with the trace, while the served rules still decide as before', async () => {
  const fixed = (await page.locator(EDITOR).inputValue()).replace(TYPO_TO, TYPO_FROM)
    .replace('address: ptn@microsoft.com', 'address: porting-desk@example.com');
  await page.locator(EDITOR).fill(fixed);
  await rulesStatus(/The rules load: 0 errors/);
  assert.equal(await page.getByTestId('diagnostic').count(), 0);
  await page.getByTestId('diagram').waitFor({ state: 'visible' });
  await choose('port-in-toll-free');
  const tried = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/playground/decide');
  await page.getByTestId('decide-edited').click();
  assert.equal((await tried).status(), 200);
  await page.waitForFunction(() => /edited rules/.test(document.getElementById('status').textContent));
  assert.equal(await page.getByTestId('mailbox').innerText(), 'porting-desk@example.com');
  assert.equal(await page.getByTestId('verdict').getAttribute('data-allowed'), 'true');
  await page.getByTestId('trace-step').first().waitFor();
  const matched = await page.locator('[data-testid="trace-step"][data-rule="us.port-in.toll-free"]').getAttribute('data-outcome');
  assert.equal(matched, 'matched');
  await page.screenshot({ path: join(options.out, 'playground-rules-decision.png'), fullPage: true });

  await decideAndWait();   // the served rules, by POST /v1/decisions
  assert.equal(await page.getByTestId('mailbox').innerText(), 'ptn@microsoft.com');
});

test('the policy tests run on the edit, and say which fail and why', async () => {
  await page.getByTestId('run-tests').click();
  await page.waitForFunction(() => /\d+ passed, \d+ failed/.test(document.getElementById('tests-summary').textContent));
  const failed = Number(await page.getByTestId('tests-summary').getAttribute('data-failed'));
  assert.ok(failed > 0, 'the changed mailbox fails the tests that expect the old one');
  const failures = page.locator('[data-testid="test-result"][data-passed="false"]');
  assert.equal(await failures.count(), failed);
  assert.match(await failures.first().innerText(), /porting-desk@example\.com/);
  assert.ok(await page.locator('[data-testid="test-result"][data-passed="true"]').count() > 0);

  await page.getByTestId('rules-reload').click();   // back to the served rules: every test passes
  await rulesStatus(/The rules load: 0 errors/);
  await page.getByTestId('run-tests').click();
  await page.waitForFunction(() => / 0 failed/.test(document.getElementById('tests-summary').textContent));
  await page.getByTestId('rules-section').screenshot({ path: join(options.out, 'playground-rules-tests.png') });
});

test('a server without --playground-rules serves the page, which says how to turn the editor on', async () => {
  const plain = await startServer([]);
  const other = await context.newPage();
  try {
    other.on('pageerror', (error) => pageErrors.push(String(error)));
    await other.goto(plain.url + '/');
    await other.getByTestId('rules-off').waitFor({ state: 'visible' });
    assert.match(await other.getByTestId('rules-off').innerText(), /telpolicy serve --playground-rules/);
    assert.equal(await other.getByTestId('rules-editor').isVisible(), false);
  } finally {
    await other.close();
    plain.child.kill('SIGKILL');
    await plain.exitPromise;
  }
});

test('the page raised no script error', () => {
  assert.deepEqual(pageErrors, []);
  // Chromium logs each failed or non-2xx fetch ("Failed to load resource"): those are the 400s and
  // the refused connection above, on purpose.
  assert.deepEqual(consoleLines.filter((line) => line.startsWith('error') && !line.includes('Failed to load resource')), []);
});

test('the server stops cleanly on SIGTERM', async () => {
  const result = await stopServer('SIGTERM');
  assert.deepEqual(result, { code: 0, signal: null }, `telpolicy serve stderr: ${server.stderr}`);
});
