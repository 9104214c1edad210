// End-to-end tests: the dev-tag Hostbound binary (real Go backend, real
// store, real keyring or passphrase) serving the real UI, driven in Chromium
// through playwright-core.
//
//   make e2e                       (builds the dev binary, runs this under
//                                   tools/with-secret-service.sh)
//   node e2e/run.mjs [FILTER]      (from frontend/, with DISPLAY and, for the
//                                   keyring scenario, a Secret Service)
//
// Each scenario gets a fresh data directory and fresh XDG directories, starts
// the binary in its own process group with env assetdir=… devserver=…, waits
// for the port, drives a fresh Chromium profile, and always kills the whole
// process group at the end. Screenshots go to build/test-artifacts/e2e-*.png,
// the app's output to build/test-artifacts/e2e-<scenario>-app.log.
//
// Env: HOSTBOUND_DEV_BIN, HOSTBOUND_ASSET_DIR, HOSTBOUND_ARTIFACTS, CHROMIUM,
//      E2E_TIMEOUT_MS (per UI wait, default 30000), E2E_KEEP=1 keeps temp dirs.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { axeViolations } from './a11y.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const bin = process.env.HOSTBOUND_DEV_BIN ?? path.join(repo, 'build/bin/hostbound-dev');
const assetDir = process.env.HOSTBOUND_ASSET_DIR ?? path.join(repo, 'frontend/dist');
const artifacts = process.env.HOSTBOUND_ARTIFACTS ?? path.join(repo, 'build/test-artifacts');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const uiTimeout = Number(process.env.E2E_TIMEOUT_MS ?? 30000);
const keepTemp = process.env.E2E_KEEP === '1';
const filter = process.argv[2] ?? '';

const ADMIN = {
  username: 'admin',
  fullName: 'Ada Admin',
  email: 'ada@example.com',
  password: 'correct horse battery',
};
const PASSPHRASE = 'a long unlock passphrase';
const API_USER = 'backup@web01.example.com';
const DB_PASSWORD = 'pg-S3cret-value';

// ---- processes ---------------------------------------------------------------

/** Every app process group started and not yet reaped, killed on any exit. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => process.exit(130));
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A running dev binary on dataDir. keyring=false removes
 * DBUS_SESSION_BUS_ADDRESS, so the app cannot reach a keyring and falls back
 * to a passphrase.
 */
async function startApp(ctx, { keyring }) {
  const port = await freePort();
  // The REST API on a port of its own, so that runs never collide on 7272.
  const apiPort = await freePort();
  const env = {
    ...process.env,
    assetdir: assetDir,
    devserver: `127.0.0.1:${port}`,
    XDG_CONFIG_HOME: ctx.xdg.config,
    XDG_DATA_HOME: ctx.xdg.data,
    XDG_CACHE_HOME: ctx.xdg.cache,
    XDG_STATE_HOME: ctx.xdg.state,
  };
  delete env.HOSTBOUND_DATA_DIR;
  if (!keyring) delete env.DBUS_SESSION_BUS_ADDRESS;

  ctx.starts += 1;
  ctx.log.write(`\n===== start ${ctx.starts}: ${bin} --data-dir ${ctx.dataDir} (devserver ${env.devserver}, keyring ${keyring}) =====\n`);
  const child = spawn(bin, ['--data-dir', ctx.dataDir, '--log-level', 'debug', '--api-listen', `127.0.0.1:${apiPort}`], {
    env,
    detached: true, // own process group: WebKit helpers die with it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.stdout.pipe(ctx.log, { end: false });
  child.stderr.pipe(ctx.log, { end: false });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
    child.on('error', (err) => {
      running.delete(child);
      resolve({ code: null, signal: null, error: err });
    });
  });
  const app = {
    child,
    exited,
    url: `http://127.0.0.1:${port}/`,
    apiBase: `https://127.0.0.1:${apiPort}/restapi/json/v1`,
    dead: null,
  };
  exited.then((how) => (app.dead = how));

  // Wait until the dev server answers with the UI.
  const deadline = Date.now() + 60000;
  for (;;) {
    if (app.dead) {
      throw new Error(`app exited before serving (${JSON.stringify(app.dead)}); see ${ctx.logPath}`);
    }
    try {
      const res = await fetch(app.url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) throw new Error(`app did not answer on ${app.url} within 60s; see ${ctx.logPath}`);
    await sleep(250);
  }
  ctx.apps.push(app);
  return app;
}

/** SIGTERM to the process group, SIGKILL after 10 s. */
async function stopApp(app) {
  if (app.dead) return;
  killGroup(app.child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(app.child, 'SIGKILL'), 10000);
  await app.exited;
  clearTimeout(timer);
  // Helpers left in the group (should be none) go too.
  killGroup(app.child, 'SIGKILL');
}

// ---- UI helpers ----------------------------------------------------------------

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A form field by its visible label; Mantine adds " *" to required ones. */
const field = (page, label) => page.getByLabel(new RegExp(`^\\s*${escapeRe(label)}\\s*\\*?\\s*$`));
const button = (page, name) => page.getByRole('button', { name, exact: true });
const text = (page, s) => page.getByText(s, { exact: false }).first();

async function visible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: uiTimeout });
  } catch (err) {
    throw new Error(`not visible: ${what} (${err.message.split('\n')[0]})`, { cause: err });
  }
}

async function absent(locator, what) {
  const n = await locator.count();
  if (n > 0) throw new Error(`should not be on the page: ${what} (${n} found)`);
}

async function fill(page, label, value) {
  const loc = field(page, label);
  await visible(loc, `field "${label}"`);
  const n = await loc.count();
  if (n !== 1) throw new Error(`field "${label}": ${n} elements match, want 1`);
  await loc.fill(value);
}

/** Picks an option of a Mantine Select. */
async function choose(page, scope, label, option) {
  await field(scope, label).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function click(page, name) {
  const loc = button(page, name);
  await visible(loc, `button "${name}"`);
  await loc.first().click();
}

/** A navigation entry, whatever role the nav gives it. */
function nav(page, name) {
  return page
    .getByRole('link', { name, exact: true })
    .or(page.getByRole('button', { name, exact: true }))
    .or(page.getByRole('tab', { name, exact: true }))
    .or(page.getByRole('menuitem', { name, exact: true }));
}

async function shot(ctx, page, step) {
  const file = path.join(artifacts, `e2e-${ctx.name}-${step}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

async function openPage(ctx, app) {
  const page = ctx.browser.pages()[0] ?? (await ctx.browser.newPage());
  page.setDefaultTimeout(uiTimeout);
  if (!ctx.consoleHooked.has(page)) {
    ctx.consoleHooked.add(page);
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') ctx.log.write(`[browser ${m.type()}] ${m.text()}\n`);
    });
    page.on('pageerror', (e) => ctx.log.write(`[browser pageerror] ${e.message}\n`));
  }
  await page.goto(app.url, { waitUntil: 'load' });
  ctx.page = page;
  return page;
}

/** The app header (Mantine AppShell.Header is a <header>: role banner). */
const header = (page) => page.getByRole('banner');

async function expectHeader(page, withRole) {
  await visible(header(page).getByText(ADMIN.fullName, { exact: false }), `header with "${ADMIN.fullName}"`);
  if (withRole) {
    await visible(
      header(page).getByText('Privileged Administrator', { exact: false }),
      'header with role "Privileged Administrator"',
    );
  }
}

async function logInAndExpectName(ctx, page, step) {
  await fill(page, 'Username', ADMIN.username);
  await fill(page, 'Password', ADMIN.password);
  await click(page, 'Log In');
  await expectHeader(page, true);
  await shot(ctx, page, step);
}

async function openSettings(ctx, page, mentions, step) {
  const settings = nav(page, 'Settings');
  await visible(settings, 'navigation entry "Settings"');
  await settings.first().click();
  await visible(page.getByText(mentions).first(), `Settings mentions ${mentions}`);
  await shot(ctx, page, step);
}

/** First-run setup in passphrase mode, ending logged in. */
async function setUpWithPassphrase(page) {
  await visible(text(page, 'Welcome to Hostbound'), 'setup screen');
  await fillSetupAccount(page);
  await fill(page, 'Passphrase', PASSPHRASE);
  await fill(page, 'Confirm Passphrase', PASSPHRASE);
  await click(page, 'Create Administrator');
  await expectHeader(page, true);
}

async function fillSetupAccount(page) {
  await fill(page, 'Username', ADMIN.username);
  await fill(page, 'Full Name', ADMIN.fullName);
  await fill(page, 'Email', ADMIN.email);
  await fill(page, 'Password', ADMIN.password);
  await fill(page, 'Confirm Password', ADMIN.password);
}

/** Resources: the resource db01 with the account postgres (password DB_PASSWORD). */
async function addDb01(page) {
  await nav(page, 'Resources').click();
  await click(page, 'Add Resource');
  const res = page.getByRole('dialog', { name: 'Add Resource' });
  await fill(res, 'Resource Name', 'db01');
  await fill(res, 'DNS Name / IP Address', 'db01.example.com');
  await click(res, 'Save');
  await res.waitFor({ state: 'detached', timeout: uiTimeout });
  await click(page, 'db01');
  await click(page, 'Add Account');
  const acct = page.getByRole('dialog', { name: 'Add Account to db01' });
  await fill(acct, 'Account Name', 'postgres');
  await fill(acct, 'Password', DB_PASSWORD);
  await click(acct, 'Save');
  await acct.waitFor({ state: 'detached', timeout: uiTimeout });
}

/** Resources → db01 → Share with the user named username. */
async function shareDb01With(page, username) {
  await nav(page, 'Resources').click();
  // Resources opens on the list, or on db01 when it was open last (a second share).
  const onDetail = page.getByRole('heading', { name: 'db01', exact: true });
  await visible(onDetail.or(button(page, 'db01')), 'the resource db01');
  if (!(await onDetail.isVisible())) await click(page, 'db01');
  await click(page, 'Share');
  const share = page.getByRole('dialog', { name: 'Share db01' });
  await field(share, 'Share with').fill(username.split('@')[0]);
  await page.getByRole('option', { name: new RegExp(escapeRe(username)) }).click();
  await click(share, 'Save');
  await share.waitFor({ state: 'detached', timeout: uiTimeout });
  await visible(page.getByRole('table', { name: 'Shares' }).getByText(username), 'the share in the list');
}

/** Clicks Generate and waits for the key: Generate asks the backend, so the box fills a moment after the click. */
async function generateKey(form, who) {
  await click(form, 'Generate');
  const keyBox = field(form, 'API Key');
  const deadline = Date.now() + uiTimeout;
  let key = await keyBox.inputValue();
  while (!key.startsWith('hbk_')) {
    if (Date.now() > deadline) throw new Error(`Generate did not fill the API Key box for ${who} (it holds ${JSON.stringify(key)})`);
    await sleep(100);
    key = await keyBox.inputValue();
  }
  return key;
}

/**
 * Users → Add API User: username bound to localhost, REST API key, never
 * expires, in department when given. Returns the key.
 */
async function addLocalApiUser(page, username, fullName, { department = '' } = {}) {
  await nav(page, 'Users').click();
  await click(page, 'Add User');
  await page.getByRole('menuitem', { name: 'Add API User', exact: true }).click();
  const form = page.getByRole('dialog', { name: 'Add API User' });
  await fill(form, 'Username', username);
  await fill(form, 'Host Name', 'localhost');
  await fill(form, 'Full Name', fullName);
  await click(form, 'Enable Now');
  const key = await generateKey(form, username);
  const never = field(form, 'Never Expires');
  if (!(await never.isChecked())) await never.check();
  if (department) await fill(form, 'Department', department);
  await click(form, 'Save');
  await form.waitFor({ state: 'detached', timeout: uiTimeout });
  return key;
}

/** The accessible name of the focused element, roughly as a screen reader says it. */
const focusedName = (page) =>
  page.evaluate(() => {
    const el = globalThis.document.activeElement;
    if (!el || el === globalThis.document.body) return '';
    const by = el.getAttribute('aria-labelledby');
    const named = by ? by.split(' ').map((id) => globalThis.document.getElementById(id)?.textContent ?? '').join(' ') : '';
    const label = el.getAttribute('aria-label') || named || (el.labels && el.labels[0]?.textContent) || el.textContent || '';
    return label.replace(/\s+/g, ' ').trim();
  });

/** Presses Tab until the focused element's name matches want: proves it is reachable by keyboard. */
async function tabTo(page, want, what, max = 80) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const name = await focusedName(page);
    if (want.test(name)) return;
    seen.push(name);
  }
  throw new Error(`${what}: not reached with ${max} Tab presses (focus went through: ${seen.slice(0, 40).join(' | ')})`);
}

/** The focused element is named name (an exact match). */
async function expectFocused(page, name) {
  const got = await focusedName(page);
  if (got.replace(/\s*\*$/, '') !== name) throw new Error(`focus: want "${name}", have "${got}"`);
}

/** The focused element is named name and wholly visible in the dialog, below its sticky header. */
async function expectFocusedInDialog(page, dialog, name) {
  await settled(page);
  await expectFocused(page, name);
  const where = await dialog.evaluate((dlg) => {
    const el = globalThis.document.activeElement;
    const box = el.getBoundingClientRect();
    const area = dlg.getBoundingClientRect();
    const header = dlg.querySelector('header')?.getBoundingClientRect().bottom ?? area.top;
    return { top: box.top, bottom: box.bottom, areaTop: header, areaBottom: Math.min(area.bottom, globalThis.innerHeight) };
  });
  if (where.top < where.areaTop || where.bottom > where.areaBottom) {
    throw new Error(`"${name}" is focused but not in view in the dialog: ${JSON.stringify(where)}`);
  }
}

/** Transitions done (a modal's fade-in, a button's label after loading). */
const settled = (page) =>
  page.waitForFunction(() => globalThis.document.getAnimations().length === 0, null, { timeout: 5000 }).catch(() => {});

/** A viewport shot after the transitions: a modal's overlay covers the viewport, not the full page. */
async function viewShot(ctx, page, step) {
  await settled(page);
  await page.screenshot({ path: path.join(artifacts, `e2e-${ctx.name}-${step}.png`) });
}

/** curl against the REST API with an AUTHTOKEN, as a script on this host would: { http, body }. */
function restCall(app, key, route, args = []) {
  const r = runTool(
    'curl',
    ['-sk', '--max-time', '20', '-w', '\n%{http_code}', '-H', `AUTHTOKEN: ${key}`, ...args, `${app.apiBase}/${route}`],
    'the REST API checks need curl',
  );
  const out = r.stdout;
  const nl = out.lastIndexOf('\n');
  const http = Number(out.slice(nl + 1));
  try {
    return { http, body: JSON.parse(out.slice(0, nl)) };
  } catch {
    throw new Error(`${route}: curl exit ${r.status}, HTTP ${http}, not JSON: ${JSON.stringify(out.slice(0, 300))} ${r.stderr}`);
  }
}

/** The route of db01/postgres's password, looked up by name with key. */
function db01PasswordRoute(app, key) {
  const r = restCall(app, key, 'resources/getResourceIdAccountId?RESOURCENAME=db01&ACCOUNTNAME=postgres');
  const d = r.body.operation?.Details;
  if (r.http !== 200 || !d?.RESOURCEID || !d?.ACCOUNTID) throw new Error(`ids by name: HTTP ${r.http} ${JSON.stringify(r.body)}`);
  return `resources/${d.RESOURCEID}/accounts/${d.ACCOUNTID}/password`;
}

/** Fails unless key fetches db01/postgres's password over route. */
function expectPassword(app, key, route, who) {
  const r = restCall(app, key, route);
  if (r.http !== 200 || r.body.operation?.Details?.PASSWORD !== DB_PASSWORD) {
    throw new Error(`${who}: the password over the REST API: HTTP ${r.http} ${JSON.stringify(r.body.operation?.result ?? r.body)}`);
  }
}

/** Runs a program to completion; throws with a clear message when it is not installed. */
function runTool(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30000, ...opts });
  if (r.error?.code === 'ENOENT') throw new Error(`${cmd} not found: ${what} (tools/install-deps.sh installs it)`);
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

/** RFC 4180 CSV into rows of fields. */
function parseCsv(s) {
  const rows = [];
  let row = [];
  let f = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') quoted = false;
      else f += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(f);
      f = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
      i++;
    } else f += c;
  }
  if (f !== '' || row.length) rows.push([...row, f]);
  return rows;
}

// ---- scenarios -------------------------------------------------------------------

const scenarios = [
  {
    name: 'keyring',
    about: 'real Secret Service: setup, log out, wrong password, log in, settings, restart',
    async run(ctx) {
      if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
        throw new Error('no DBUS_SESSION_BUS_ADDRESS: run under tools/with-secret-service.sh');
      }
      let app = await startApp(ctx, { keyring: true });
      let page = await openPage(ctx, app);

      await visible(text(page, 'Welcome to Hostbound'), 'setup screen "Welcome to Hostbound"');
      await visible(field(page, 'Username'), 'setup field Username');
      await absent(field(page, 'Passphrase'), 'a Passphrase field in keyring mode');
      await shot(ctx, page, '01-setup');

      await fillSetupAccount(page);
      await click(page, 'Create Administrator');
      await expectHeader(page, true);
      await shot(ctx, page, '02-after-setup');

      await openSettings(ctx, page, /OS keyring/i, '03-settings');

      await click(page, 'Log Out');
      await visible(button(page, 'Log In'), 'login screen (button "Log In")');
      await shot(ctx, page, '04-login');

      await fill(page, 'Username', ADMIN.username);
      await fill(page, 'Password', 'wrong password here');
      await click(page, 'Log In');
      await visible(text(page, 'Wrong username or password'), 'error "Wrong username or password"');
      await shot(ctx, page, '05-wrong-password');

      await logInAndExpectName(ctx, page, '06-logged-in');

      // A second process reads the master key from the keyring: straight to
      // the login screen, no Unlock.
      await stopApp(app);
      app = await startApp(ctx, { keyring: true });
      page = await openPage(ctx, app);
      await visible(button(page, 'Log In'), 'login screen after restart (key from the keyring)');
      await absent(button(page, 'Unlock'), 'an Unlock button in keyring mode');
      await logInAndExpectName(ctx, page, '07-restart-logged-in');
      await stopApp(app);
    },
  },
  {
    name: 'passphrase',
    about: 'no keyring: setup with passphrase, restart, wrong passphrase, unlock, log in',
    async run(ctx) {
      let app = await startApp(ctx, { keyring: false });
      let page = await openPage(ctx, app);

      await visible(text(page, 'Welcome to Hostbound'), 'setup screen "Welcome to Hostbound"');
      await visible(field(page, 'Passphrase'), 'setup field Passphrase (no keyring)');
      await visible(field(page, 'Confirm Passphrase'), 'setup field Confirm Passphrase');
      await shot(ctx, page, '01-setup');

      await fillSetupAccount(page);
      await fill(page, 'Passphrase', PASSPHRASE);
      await fill(page, 'Confirm Passphrase', PASSPHRASE);
      await click(page, 'Create Administrator');
      await expectHeader(page, true);
      await shot(ctx, page, '02-after-setup');
      await openSettings(ctx, page, /passphrase/i, '02b-settings');

      await stopApp(app);
      app = await startApp(ctx, { keyring: false });
      page = await openPage(ctx, app);

      await visible(button(page, 'Unlock'), 'Unlock screen (button "Unlock")');
      await shot(ctx, page, '03-unlock');
      await fill(page, 'Passphrase', 'not the passphrase at all');
      await click(page, 'Unlock');
      await visible(text(page, 'Wrong passphrase'), 'error "Wrong passphrase"');
      await shot(ctx, page, '04-wrong-passphrase');

      await fill(page, 'Passphrase', PASSPHRASE);
      await click(page, 'Unlock');
      await visible(button(page, 'Log In'), 'login screen after unlock');
      await shot(ctx, page, '05-login');

      await logInAndExpectName(ctx, page, '06-logged-in');
      await stopApp(app);
    },
  },
  {
    name: 'api-user',
    about: "the seed's 12 steps: add an API user with a key shown once, regenerate, a Password Administrator is refused",
    async run(ctx) {
      const app = await startApp(ctx, { keyring: false });
      const page = await openPage(ctx, app);
      await ctx.browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
      await setUpWithPassphrase(page);

      // Steps 1-2: Users, Add User > Add API User.
      await nav(page, 'Users').click();
      await click(page, 'Add User');
      await page.getByRole('menuitem', { name: 'Add API User', exact: true }).click();
      const form = page.getByRole('dialog', { name: 'Add API User' });
      await visible(form, 'the Add API User form');
      // Steps 3-8: the fields in the seed's order.
      await fill(form, 'Username', API_USER);
      await fill(form, 'Host Name', 'web01.example.com');
      await fill(form, 'Full Name', 'Nightly Backup');
      await fill(form, 'Email', 'ops@example.com');
      await choose(page, form, 'Access Level', 'Password User');
      // Step 9-10: REST API, Enable Now, Generate, Copy.
      await click(form, 'Enable Now');
      const key = await generateKey(form, API_USER);
      if (!/^hbk_[0-9A-Za-z]{49}$/.test(key)) throw new Error(`generated key looks wrong: ${key}`);
      await visible(form.getByText(/shown only once/i), 'the once-only warning');
      await click(form, 'Copy');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      if (copied !== key) throw new Error('Copy did not put the key on the clipboard');
      // Step 11: an expiry date 90 days out.
      const expiry = new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      const never = field(form, 'Never Expires');
      if (await never.isChecked()) await never.uncheck();
      await fill(form, 'Expiry Date', expiry);
      await fill(form, 'Department', 'IT');
      await fill(form, 'Location', 'Berlin');
      await shot(ctx, page, '01-form-filled');
      // Step 12: Save.
      await click(form, 'Save');
      await form.waitFor({ state: 'detached', timeout: uiTimeout });
      const row = page.getByRole('row').filter({ hasText: API_USER });
      await visible(row, 'the new API user in the list');
      for (const want of ['web01.example.com', 'Password User', /expires in (89|90) days/]) {
        await visible(row.getByText(want), `the row shows ${want}`);
      }
      if ((await page.content()).includes(key.slice(8))) throw new Error('the key is still on the page after Save');
      await shot(ctx, page, '02-list');

      // Regenerate shows a different key once.
      await click(page, `Actions for ${API_USER}`);
      await page.getByRole('menuitem', { name: 'Regenerate API Key' }).click();
      await click(page.getByRole('dialog', { name: 'Regenerate API Key' }), 'Regenerate');
      const shown = page.getByRole('dialog', { name: 'New API Key' });
      await visible(shown, 'the New API Key dialog');
      const key2 = await field(shown, 'API Key').inputValue();
      if (!key2.startsWith('hbk_') || key2 === key) throw new Error('Regenerate did not show a different key');
      await shot(ctx, page, '03-regenerated');
      await click(shown, 'Done');

      // A Password Administrator.
      await click(page, 'Add User');
      await page.getByRole('menuitem', { name: 'Add User', exact: true }).click();
      const op = page.getByRole('dialog', { name: 'Add User' });
      await fill(op, 'Username', 'pam');
      await fill(op, 'Full Name', 'Pam Passwords');
      await fill(op, 'Password', 'pam has a long password');
      await fill(op, 'Confirm Password', 'pam has a long password');
      await choose(page, op, 'Access Level', 'Password Administrator');
      await click(op, 'Save');
      await op.waitFor({ state: 'detached', timeout: uiTimeout });
      await click(page, 'Log Out');
      await fill(page, 'Username', 'pam');
      await fill(page, 'Password', 'pam has a long password');
      await click(page, 'Log In');
      await visible(header(page).getByText('Pam Passwords'), 'Pam logged in');
      await absent(nav(page, 'Users'), 'a Users entry for a Password Administrator');
      await absent(page.getByText('Add API User', { exact: true }), 'an Add API User entry for a Password Administrator');
      // The backend refuses the bound call too.
      const refusal = await page.evaluate(async (req) => {
        try {
          await globalThis.go.desktop.Users.CreateAPIUser(req);
          return 'accepted';
        } catch (e) {
          return String(e);
        }
      }, { username: 'sneaky@web02', host: 'web02', fullName: 'Sneaky', role: 'password_user', scope: 'owned_shared', restEnabled: false });
      if (!refusal.includes('You are not allowed to manage API users')) throw new Error(`the backend did not refuse Pam: ${refusal}`);
      await shot(ctx, page, '04-pam');
      await stopApp(app);
    },
  },
  {
    name: 'rest-api',
    about: 'a resource, an API user bound to localhost, a share; curl fetches the password; the list shows last used',
    async run(ctx) {
      const app = await startApp(ctx, { keyring: false });
      const page = await openPage(ctx, app);
      await setUpWithPassphrase(page);

      await addDb01(page);

      // An API user bound to localhost, with a key.
      const key = await addLocalApiUser(page, 'job@localhost', 'Nightly Job');

      await shareDb01With(page, 'job@localhost');
      await shot(ctx, page, '01-resource-shared');

      // curl, as a script on this host would.
      const curl = (url) => JSON.parse(execFileSync('curl', ['-sk', '--max-time', '20', '-H', `AUTHTOKEN: ${key}`, url], { encoding: 'utf8' }));
      const ids = curl(`${app.apiBase}/resources/getResourceIdAccountId?RESOURCENAME=db01&ACCOUNTNAME=postgres`);
      const d = ids.operation?.Details;
      if (!d?.RESOURCEID || !d?.ACCOUNTID) throw new Error(`ids by name: ${JSON.stringify(ids)}`);
      const pw = curl(`${app.apiBase}/resources/${d.RESOURCEID}/accounts/${d.ACCOUNTID}/password`);
      if (pw.operation?.Details?.PASSWORD !== DB_PASSWORD) throw new Error(`password: ${JSON.stringify(pw.operation?.result)}`);
      const list = curl(`${app.apiBase}/resources`);
      if (list.operation?.totalRows !== 1) throw new Error(`GET RESOURCES: ${JSON.stringify(list.operation?.result)}`);

      // The Users list shows the key's last use.
      await nav(page, 'Users').click();
      const row = page.getByRole('row').filter({ hasText: 'job@localhost' });
      await visible(row.locator('[title="from 127.0.0.1"]'), 'last used from 127.0.0.1 in the Users list');
      await shot(ctx, page, '02-last-used');

      // The Audit screen shows what was done, with full names; the CSV
      // export is written and parses; the chain verifies.
      await nav(page, 'Audit').click();
      const records = page.getByRole('table', { name: 'Audit records' });
      for (const [who, what] of [
        [ADMIN.fullName, 'create resource'],
        [ADMIN.fullName, 'create api user'],
        [ADMIN.fullName, 'share'],
        ['Nightly Job', 'reveal password'],
      ]) {
        await visible(records.getByRole('row').filter({ hasText: who }).filter({ hasText: what }), `an audit record of ${who}: ${what}`);
      }
      await click(page, 'Verify integrity');
      await visible(page.getByText('Audit trail verified'), 'the integrity check passed');
      await click(page, 'Export CSV');
      const done = page.getByRole('status').filter({ hasText: /Exported .* to / });
      await visible(done, 'the export result');
      const csvPath = (await done.innerText()).match(/ to (\S+\.csv)/)?.[1];
      if (!csvPath || !existsSync(csvPath)) throw new Error(`export file not found: ${csvPath}`);
      const csv = readFileSync(csvPath, 'utf8');
      const rows = parseCsv(csv);
      if (rows[0].join(',') !== 'seq,time,actor,actor_name,actor_kind,source,operation,target,result,reason,hash') {
        throw new Error(`CSV header: ${rows[0]}`);
      }
      if (!rows.some((r) => r[3] === 'Nightly Job' && r[6] === 'reveal password' && r[5] === '127.0.0.1')) {
        throw new Error('the CSV lacks the password retrieval by the API user');
      }
      if (csv.includes(key.slice(8)) || csv.includes(DB_PASSWORD)) throw new Error('the CSV export holds a secret');
      await shot(ctx, page, '03-audit');
      await stopApp(app);
    },
  },
  {
    name: 'reason-and-pmp-refusals',
    about: 'an account that asks for a reason: the API refuses without REASON and answers with it, the app asks for one before Show; refusals as PMP does (HTTP 200) from Settings',
    async run(ctx) {
      const app = await startApp(ctx, { keyring: false });
      const page = await openPage(ctx, app);
      await setUpWithPassphrase(page);
      await addDb01(page);
      const key = await addLocalApiUser(page, 'job@localhost', 'Nightly Job');
      await shareDb01With(page, 'job@localhost');
      // Transitions done (modal fade-in, a button's label after loading).
      const settled = () => page.waitForFunction(() => globalThis.document.getAnimations().length === 0, null, { timeout: 5000 }).catch(() => {});
      // A viewport shot: a modal's overlay covers the viewport, not the full page.
      const viewShot = async (step) => {
        await settled();
        await page.screenshot({ path: path.join(artifacts, `e2e-${ctx.name}-${step}.png`) });
      };

      // Edit Account: postgres asks for a reason.
      const accounts = page.getByRole('table', { name: 'Accounts' });
      const row = accounts.getByRole('row').filter({ hasText: 'postgres' });
      await click(row, 'Edit account postgres');
      const edit = page.getByRole('dialog', { name: 'Edit Account of db01' });
      await visible(edit, 'the Edit Account form');
      const ask = field(edit, 'Require a reason to retrieve the password');
      if (await ask.isChecked()) throw new Error('a new account already asks for a reason');
      await ask.check();
      await click(edit, 'Save');
      await edit.waitFor({ state: 'detached', timeout: uiTimeout });
      await visible(row.getByText('Reason required', { exact: true }), 'the "Reason required" badge of postgres');
      await shot(ctx, page, '01-reason-required');

      // The API: refused without REASON (HTTP 400), answered with it.
      const api = (route, { auth = key, args = [] } = {}) => {
        const out = execFileSync(
          'curl',
          ['-sk', '--max-time', '20', '-w', '\n%{http_code}', '-H', `AUTHTOKEN: ${auth}`, ...args, `${app.apiBase}/${route}`],
          { encoding: 'utf8' },
        );
        const nl = out.lastIndexOf('\n');
        const http = Number(out.slice(nl + 1));
        try {
          return { http, body: JSON.parse(out.slice(0, nl)) };
        } catch {
          throw new Error(`${route}: HTTP ${http}, not JSON: ${JSON.stringify(out.slice(0, 300))}`);
        }
      };
      const ids = api('resources/getResourceIdAccountId?RESOURCENAME=db01&ACCOUNTNAME=postgres').body.operation?.Details;
      if (!ids?.RESOURCEID || !ids?.ACCOUNTID) throw new Error(`ids by name: ${JSON.stringify(ids)}`);
      const pwRoute = `resources/${ids.RESOURCEID}/accounts/${ids.ACCOUNTID}/password`;
      const withReason = ['-G', '--data-urlencode', 'INPUT_DATA={"operation":{"Details":{"REASON":"nightly backup"}}}'];
      const refused = (what, r, http) => {
        const res = r.body.operation?.result;
        if (r.http !== http || res?.status !== 'Failed' || !res?.message?.includes('A reason is required to retrieve the password of this account')) {
          throw new Error(`${what}: want HTTP ${http} Failed "A reason is required…", got HTTP ${r.http} ${JSON.stringify(r.body)}`);
        }
      };
      refused('password without REASON', api(pwRoute), 400);
      const pw = api(pwRoute, { args: withReason });
      if (pw.http !== 200 || pw.body.operation?.Details?.PASSWORD !== DB_PASSWORD) {
        throw new Error(`password with REASON: HTTP ${pw.http} ${JSON.stringify(pw.body.operation?.result)}`);
      }
      const det = api(`resources/getResourceAccountDetails?RESOURCEID=${ids.RESOURCEID}&ACCOUNTID=${ids.ACCOUNTID}`);
      let acctDetails;
      try {
        acctDetails = JSON.parse(det.body.operation?.Details?.ACCOUNTDETAILS);
      } catch {
        throw new Error(`getResourceAccountDetails: ACCOUNTDETAILS is not a JSON string: HTTP ${det.http} ${JSON.stringify(det.body)}`);
      }
      if (!acctDetails.PASSWORD_REASON?.includes('A reason is required') || 'PASSWORD' in acctDetails) {
        throw new Error(`getResourceAccountDetails without a reason: ${JSON.stringify(acctDetails)}`);
      }
      ctx.log.write(`[e2e] getResourceAccountDetails without a reason: HTTP ${det.http}, ${det.body.operation?.result?.status}\n`);

      // The app: Show asks for a Reason first.
      await click(row, 'Show');
      const modal = page.getByRole('dialog', { name: 'Retrieve the password of postgres' });
      await visible(modal, 'the modal "Retrieve the password of postgres"');
      await visible(field(modal, 'Reason'), 'the Reason field');
      await click(modal, 'Show Password');
      await visible(modal.getByText('Reason: required', { exact: true }), 'the field error "Reason: required"');
      if ((await page.content()).includes(DB_PASSWORD)) throw new Error('the password is on the page before a reason was given');
      await viewShot('02-reason-modal');
      const appReason = 'Restore check after INC-7';
      await fill(modal, 'Reason', appReason);
      await click(modal, 'Show Password');
      await modal.waitFor({ state: 'detached', timeout: uiTimeout });
      await visible(row.getByText(DB_PASSWORD, { exact: true }), 'the password of postgres in the list');
      await visible(button(row, 'Hide'), 'the Hide button of postgres');
      await settled(); // Show was loading while the modal asked: its label slides back
      await shot(ctx, page, '03-password-shown');

      // Settings → REST API: refusals as PMP does.
      await openSettings(ctx, page, 'REST API', '04a-settings');
      const card = page.getByRole('region', { name: 'REST API' });
      await visible(card, 'the REST API card');
      const pmp = field(card, 'Answer refusals as PMP does (HTTP 200)');
      if (await pmp.isChecked()) throw new Error('"Answer refusals as PMP does" is on by default');
      await pmp.check();
      await click(card, 'Save');
      await visible(card.getByRole('status').filter({ hasText: 'REST API settings saved.' }), 'REST API settings saved');
      await visible(card.getByText('Running', { exact: true }), 'the REST API card says Running');
      // The card just under the sticky header, in a viewport shot (a full-page
      // shot of a scrolled page repeats the header).
      await card.evaluate((el) => {
        const bar = globalThis.document.querySelector('header')?.getBoundingClientRect().height ?? 0;
        globalThis.scrollTo(0, el.getBoundingClientRect().top + globalThis.scrollY - bar - 12);
      });
      await viewShot('04-settings-rest-api');

      // The API restarted: wait until it answers, then refusals come as HTTP 200.
      let wrong;
      for (const deadline = Date.now() + 20000; ; ) {
        try {
          wrong = api('resources', { auth: 'hbk_nope' });
          break;
        } catch (err) {
          if (Date.now() > deadline) throw new Error(`the REST API did not answer after Save: ${err.message}`, { cause: err });
          await sleep(250);
        }
      }
      const wr = wrong.body.operation;
      if (wrong.http !== 200 || wr?.result?.status !== 'Failed' || wr?.name !== 'Authentication') {
        throw new Error(`a wrong key with PMP refusals: want HTTP 200 Failed "Authentication", got HTTP ${wrong.http} ${JSON.stringify(wrong.body)}`);
      }
      refused('password without REASON, PMP refusals', api(pwRoute), 200);

      // The Audit screen: both retrievals with their reasons.
      await nav(page, 'Audit').click();
      const records = page.getByRole('table', { name: 'Audit records' });
      const audited = [
        ['Nightly Job', 'reason: nightly backup'],
        [ADMIN.fullName, `reason: ${appReason}`],
      ];
      for (const [who, why] of audited) {
        await visible(
          records.getByRole('row').filter({ hasText: who }).filter({ hasText: 'reveal password' }).filter({ hasText: why }),
          `an audit record of ${who}: reveal password, ${why}`,
        );
      }
      await click(page, 'Export CSV');
      const done = page.getByRole('status').filter({ hasText: /Exported .* to / });
      await visible(done, 'the export result');
      const csvPath = (await done.innerText()).match(/ to (\S+\.csv)/)?.[1];
      if (!csvPath || !existsSync(csvPath)) throw new Error(`export file not found: ${csvPath}`);
      const csv = readFileSync(csvPath, 'utf8');
      const rows = parseCsv(csv);
      const col = Object.fromEntries(rows[0].map((c, i) => [c, i]));
      for (const [who, why] of audited) {
        if (!rows.some((r) => r[col.actor_name] === who && r[col.operation] === 'reveal password' && r[col.reason] === why)) {
          throw new Error(`the CSV lacks ${who}'s reveal password with "${why}"`);
        }
      }
      if (csv.includes(key.slice(8)) || csv.includes(DB_PASSWORD)) throw new Error('the CSV export holds a secret');
      await page.evaluate(() => globalThis.scrollTo(0, 0));
      await shot(ctx, page, '05-audit');
      // The table clips the Reason column: the record's details show it whole.
      await records
        .getByRole('row')
        .filter({ hasText: 'Nightly Job' })
        .filter({ hasText: 'reveal password' })
        .filter({ hasText: 'reason: nightly backup' })
        .first()
        .click();
      const detail = page.getByRole('dialog', { name: /^Audit record \d+$/ });
      await visible(detail.getByText('reason: nightly backup', { exact: true }), 'the reason in the audit record details');
      await viewShot('06-audit-record');
      await stopApp(app);
    },
  },
  {
    name: 'ssh-and-certificate',
    about: 'an API user with an SSH key and a client certificate: ssh RETRIEVE prints the password, curl --cert needs no AUTHTOKEN',
    async run(ctx) {
      // The credentials, made as an operator on the API user's host would.
      const keyFile = path.join(ctx.tmp, 'id');
      const kg = runTool('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-C', 'job@localhost', '-f', keyFile], 'the SSH key needs openssh-client');
      if (kg.status !== 0) throw new Error(`ssh-keygen failed (${kg.status}): ${kg.stderr}`);
      const publicKey = readFileSync(`${keyFile}.pub`, 'utf8').trim();
      const certFile = path.join(ctx.tmp, 'client.pem');
      const certKeyFile = path.join(ctx.tmp, 'client.key');
      const ossl = runTool(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30', '-subj', '/CN=job',
          '-keyout', certKeyFile, '-out', certFile],
        'the client certificate needs openssl',
      );
      if (ossl.status !== 0) throw new Error(`openssl req failed (${ossl.status}): ${ossl.stderr}`);
      const certificate = readFileSync(certFile, 'utf8').trim();

      const app = await startApp(ctx, { keyring: false });
      const page = await openPage(ctx, app);
      await setUpWithPassphrase(page);
      await addDb01(page);

      // The API user, bound to 127.0.0.1, with the key and the certificate; REST API keys off.
      await nav(page, 'Users').click();
      await click(page, 'Add User');
      await page.getByRole('menuitem', { name: 'Add API User', exact: true }).click();
      const form = page.getByRole('dialog', { name: 'Add API User' });
      await visible(form, 'the Add API User form');
      await fill(form, 'Username', 'job@localhost');
      await fill(form, 'Host Name', '127.0.0.1');
      await fill(form, 'Full Name', 'Nightly SSH Job');
      // Step 7's fields sit in a section collapsed in a new user's form.
      await click(form, 'SSH CLI and certificate (optional)');
      await fill(form, 'Public key for SSH CLI access', publicKey);
      await fill(form, 'SSL Certificate for XML-RPC API access', certificate);
      await shot(ctx, page, '01-form-filled');
      await click(form, 'Save');
      await form.waitFor({ state: 'detached', timeout: uiTimeout });
      await visible(page.getByRole('row').filter({ hasText: 'job@localhost' }), 'the new API user in the list');
      await shareDb01With(page, 'job@localhost');

      // Settings → SSH CLI on a port of its own.
      const sshPort = await freePort();
      await openSettings(ctx, page, 'SSH CLI', '02-settings');
      const card = page.getByRole('region', { name: 'SSH CLI' });
      await visible(card, 'the SSH CLI card');
      await fill(card, 'Listen address', `127.0.0.1:${sshPort}`);
      const serve = field(card, 'Serve the SSH CLI while Hostbound is unlocked');
      if (!(await serve.isChecked())) await serve.check();
      await click(card, 'Save');
      await visible(card.getByRole('status').filter({ hasText: 'SSH CLI settings saved.' }), 'SSH CLI settings saved');
      await visible(card.getByText('Running', { exact: true }), 'the SSH CLI card says Running');
      await visible(card.getByText(`on 127.0.0.1:${sshPort}`), `the SSH CLI card says on 127.0.0.1:${sshPort}`);
      // Back to the top: a full-page shot of a scrolled page repeats the sticky header.
      await page.evaluate(() => globalThis.scrollTo(0, 0));
      await shot(ctx, page, '03-ssh-running');

      // The real OpenSSH client, as a script on the host would run it.
      const ssh = runTool(
        'ssh',
        ['-F', '/dev/null', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'IdentitiesOnly=yes',
          '-o', 'IdentityAgent=none', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR',
          '-p', String(sshPort), '-i', keyFile, 'job@localhost@127.0.0.1',
          'RETRIEVE', '--resource=db01', '--account=postgres', '--reason=e2e'],
        'the SSH CLI check needs openssh-client',
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      if (ssh.status !== 0 || ssh.stdout !== `${DB_PASSWORD}\r\n`) {
        throw new Error(`ssh RETRIEVE: exit ${ssh.status ?? ssh.signal}, stdout ${JSON.stringify(ssh.stdout)}, stderr ${JSON.stringify(ssh.stderr)}`);
      }

      // curl with the client certificate and no AUTHTOKEN.
      const curl = runTool(
        'curl',
        ['-sk', '--max-time', '20', '--cert', certFile, '--key', certKeyFile,
          `${app.apiBase}/resources/getResourceIdAccountId?RESOURCENAME=db01&ACCOUNTNAME=postgres`],
        'the certificate check needs curl',
      );
      let ids;
      try {
        ids = JSON.parse(curl.stdout);
      } catch {
        throw new Error(`curl --cert: exit ${curl.status}, not JSON: ${JSON.stringify(curl.stdout.slice(0, 300))} ${curl.stderr}`);
      }
      const op = ids.operation;
      if (op?.result?.status !== 'Success' || !op?.Details?.RESOURCEID || !op?.Details?.ACCOUNTID) {
        throw new Error(`curl --cert getResourceIdAccountId: ${JSON.stringify(ids)}`);
      }

      // The Audit screen: the retrieval by the API user's full name, from 127.0.0.1.
      await nav(page, 'Audit').click();
      const records = page.getByRole('table', { name: 'Audit records' });
      const reveal = records
        .getByRole('row')
        .filter({ hasText: 'Nightly SSH Job' })
        .filter({ hasText: 'reveal password' })
        .filter({ has: page.getByRole('cell', { name: '127.0.0.1', exact: true }) });
      await visible(reveal, 'an audit record of Nightly SSH Job: reveal password from 127.0.0.1');
      // The certificate named the user: curl's look-up is audited as theirs.
      const lookup = records.getByRole('row').filter({ hasText: 'Nightly SSH Job' }).filter({ hasText: 'find account' });
      await visible(lookup, 'an audit record of Nightly SSH Job: find account (curl --cert)');
      if ((await page.content()).includes(DB_PASSWORD)) throw new Error('the Audit screen shows the password');
      await shot(ctx, page, '04-audit');
      await stopApp(app);
    },
  },
  {
    name: 'backup-restore',
    about: 'Settings → Create backup, change a password, Restore from backup (a wrong passphrase refused first): the old password is back, log in again',
    async run(ctx) {
      let app = await startApp(ctx, { keyring: false });
      let page = await openPage(ctx, app);
      await setUpWithPassphrase(page);
      await addDb01(page);
      const file = path.join(ctx.tmp, 'vault.hostbound-backup');
      const backupPass = 'a long backup passphrase';
      const newPassword = 'changed-after-the-backup';
      const settled = () => page.waitForFunction(() => globalThis.document.getAnimations().length === 0, null, { timeout: 5000 }).catch(() => {});
      const viewShot = async (step) => {
        await settled();
        await page.screenshot({ path: path.join(artifacts, `e2e-${ctx.name}-${step}.png`) });
      };
      const card = page.getByRole('region', { name: 'Backup and restore' });
      const postgres = () => page.getByRole('table', { name: 'Accounts' }).getByRole('row').filter({ hasText: 'postgres' });
      // Resources opens on the list, or on db01 when it was open last.
      const openDb01 = async () => {
        await nav(page, 'Resources').click();
        const onDetail = page.getByRole('heading', { name: 'db01', exact: true });
        await visible(onDetail.or(button(page, 'db01')), 'the resource db01');
        if (!(await onDetail.isVisible())) await click(page, 'db01');
        await visible(postgres(), 'the account postgres');
      };
      const showPassword = async (want) => {
        await openDb01();
        await click(postgres(), 'Show');
        await visible(postgres().getByText(want, { exact: true }), `the password "${want}" of postgres`);
      };

      // Create backup: the rule first, then the file.
      await openSettings(ctx, page, 'Backup and restore', '01-settings');
      await click(card, 'Create backup…');
      const create = page.getByRole('dialog', { name: 'Create a backup' });
      await fill(create, 'Backup file', file);
      await fill(create, 'Backup passphrase', 'too short');
      await fill(create, 'Confirm Passphrase', 'too short');
      await click(create, 'Create Backup');
      await visible(create.getByText('Backup passphrase: at least 12 characters'), 'the passphrase rule under its field');
      await fill(create, 'Backup passphrase', backupPass);
      await fill(create, 'Confirm Passphrase', backupPass);
      await viewShot('02-create-backup');
      await click(create, 'Create Backup');
      await create.waitFor({ state: 'detached', timeout: uiTimeout });
      await visible(card.getByText(`Backup written to ${file}`), 'the message "Backup written to FILE"');
      if (!existsSync(file)) throw new Error(`no backup file at ${file}`);
      await shot(ctx, page, '03-backup-written');

      // A password changed after the backup.
      await openDb01();
      await click(postgres(), 'Edit account postgres');
      const edit = page.getByRole('dialog', { name: 'Edit Account of db01' });
      await fill(edit, 'Password', newPassword);
      await click(edit, 'Save');
      await edit.waitFor({ state: 'detached', timeout: uiTimeout });
      await showPassword(newPassword);

      // Restore: a wrong passphrase changes nothing, the right one replaces the vault.
      await openSettings(ctx, page, 'Backup and restore', '04-settings');
      await click(card, 'Restore from backup…');
      const restore = page.getByRole('dialog', { name: 'Restore from a backup' });
      await visible(restore.getByText('The current data is kept aside in', { exact: false }), 'the warning about the current data');
      await fill(restore, 'Backup file', file);
      await fill(restore, 'Backup passphrase', 'not the backup passphrase');
      await fill(restore, 'New passphrase', PASSPHRASE);
      await fill(restore, 'Confirm New Passphrase', PASSPHRASE);
      await field(restore, 'Replace the current data with this backup').check();
      await click(restore, 'Restore Backup');
      await visible(restore.getByText('Backup passphrase: wrong passphrase', { exact: false }), 'the wrong passphrase under its field');
      await viewShot('05-wrong-passphrase');
      await fill(restore, 'Backup passphrase', backupPass);
      await click(restore, 'Restore Backup');
      await visible(button(page, 'Log In'), 'the login screen after the restore');
      await visible(text(page, 'Restored the backup of'), 'the notice of the restore');
      await shot(ctx, page, '06-restored-login');
      await logInAndExpectName(ctx, page, '07-logged-in');
      await showPassword(DB_PASSWORD);
      await shot(ctx, page, '08-old-password');

      // The restored vault opens with the (new) passphrase after a restart.
      await stopApp(app);
      app = await startApp(ctx, { keyring: false });
      page = await openPage(ctx, app);
      await fill(page, 'Passphrase', PASSPHRASE);
      await click(page, 'Unlock');
      await visible(button(page, 'Log In'), 'login screen after unlock');
      await logInAndExpectName(ctx, page, '09-restart-logged-in');
      await stopApp(app);
    },
  },
  {
    name: 'bulk-onboarding',
    about: 'Add API Users in Bulk from a 50-row CSV: two bad rows marked with the form\'s messages and fixed in the preview, keys in a 0600 file and one sealed with age; the sealed key fetches a password',
    async run(ctx) {
      // The host of row 1 and its SSH key: its API key is sealed to it.
      const idFile = path.join(ctx.tmp, 'id');
      const kg = runTool('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-C', 'sealed@127.0.0.1', '-f', idFile], 'the SSH key needs openssh-client');
      if (kg.status !== 0) throw new Error(`ssh-keygen failed (${kg.status}): ${kg.stderr}`);
      const publicKey = readFileSync(`${idFile}.pub`, 'utf8').trim();

      // 50 rows on 127.0.0.x; row 8 has a host that is none, row 31 repeats row 13's username.
      const N = 50;
      const SEALED = 'sealed@127.0.0.1';
      const BAD_HOST_LINE = 8; // data row 7
      const DUP_LINE = 31; // data row 30, repeats data row 12 (line 13)
      const q = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
      const lines = ['Username,Host Name,Full Name,Access Level,Access Scope,Department,Location,Expiry Date,SSH Public Key'];
      for (let i = 1; i <= N; i++) {
        const line = i + 1;
        let username = i === 1 ? SEALED : `node${i}@127.0.0.${i}`;
        let host = `127.0.0.${i}`;
        if (line === BAD_HOST_LINE) host = 'not a host!';
        if (line === DUP_LINE) username = 'node12@127.0.0.12';
        lines.push(
          [username, host, `Node ${i}`, i % 10 === 0 ? 'Password User' : '', '', i % 2 ? 'Web' : 'Batch', 'Berlin', '', i === 1 ? publicKey : '']
            .map(q)
            .join(','),
        );
      }
      const csvFile = path.join(ctx.tmp, 'api-users.csv');
      writeFileSync(csvFile, `${lines.join('\n')}\n`);
      const keyFile = path.join(ctx.tmp, 'keys', 'hostbound-api-keys.csv');
      mkdirSync(path.dirname(keyFile));
      const sealDir = path.join(ctx.tmp, 'sealed');
      mkdirSync(sealDir);

      const app = await startApp(ctx, { keyring: false });
      const page = await openPage(ctx, app);
      await setUpWithPassphrase(page);
      await addDb01(page);

      // The single Add API User form's message for the bad host, to compare.
      await nav(page, 'Users').click();
      await click(page, 'Add User');
      await page.getByRole('menuitem', { name: 'Add API User', exact: true }).click();
      const single = page.getByRole('dialog', { name: 'Add API User' });
      await fill(single, 'Username', 'probe@127.0.0.99');
      await fill(single, 'Host Name', 'not a host!');
      await fill(single, 'Full Name', 'Probe');
      await click(single, 'Save');
      const hostError = single.getByText(/^Host Name: /);
      await visible(hostError, 'the form\'s message under Host Name');
      const hostMsg = (await hostError.first().innerText()).trim();
      await click(single, 'Cancel');
      await single.waitFor({ state: 'detached', timeout: uiTimeout });
      const dupMsg = `Username: already used on line 13 of this list`;

      // Add API Users in Bulk → Open a CSV file.
      await click(page, 'Add User');
      await page.getByRole('menuitem', { name: 'Add API Users in Bulk', exact: true }).click();
      const dlg = page.getByRole('dialog', { name: 'Add API Users in Bulk' });
      await visible(dlg, 'the Add API Users in Bulk dialog');
      await visible(field(dlg, 'Host Names'), 'the Host Names box (Paste hosts, the default)');
      await dlg.getByText('Open a CSV file', { exact: true }).click();
      const csvInput = field(dlg, 'CSV file');
      await visible(csvInput, 'the CSV file field');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: uiTimeout }), csvInput.click()]);
      await chooser.setFiles(csvFile);
      await visible(dlg.getByText('api-users.csv'), 'the chosen file\'s name');
      const never = field(dlg, 'Never Expires');
      if (!(await never.isChecked())) await never.check();
      await click(dlg, 'Preview');

      // The preview marks the two bad rows with the form's messages.
      await visible(dlg.getByText(`${N} rows: ${N - 2} ready, 2 with errors`, { exact: true }), 'the preview summary with 2 bad rows');
      await visible(dlg.getByText('Nothing is created while a row has errors'), 'the bad-rows alert');
      await field(dlg, 'Show only rows with errors').check();
      const line = (n) => dlg.getByRole('row', { name: `Line ${n}`, exact: true });
      await visible(line(BAD_HOST_LINE).getByText(hostMsg, { exact: true }), `line ${BAD_HOST_LINE}: "${hostMsg}"`);
      await visible(line(DUP_LINE).getByText(dupMsg, { exact: true }), `line ${DUP_LINE}: "${dupMsg}"`);
      for (const n of [BAD_HOST_LINE, DUP_LINE]) {
        if ((await line(n).getAttribute('aria-invalid')) !== 'true') throw new Error(`line ${n} is not marked invalid`);
      }
      await absent(line(2), 'a good row while "Show only rows with errors" is on');
      if (!(await button(dlg, `Create ${N} API Users`).isDisabled())) throw new Error('Create is enabled while rows have errors');
      await viewShot(ctx, page, '01-preview-bad-rows');

      // Fix both in the preview.
      const fix = async (n, label, value, msg) => {
        await click(dlg, `Fix line ${n}`);
        const m = page.getByRole('dialog', { name: `Fix line ${n}` });
        await visible(m.getByText(msg, { exact: true }), `the Fix line ${n} dialog shows "${msg}"`);
        await fill(m, label, value);
        await click(m, 'Apply');
        await m.waitFor({ state: 'detached', timeout: uiTimeout });
      };
      await fix(BAD_HOST_LINE, 'Host Name', `127.0.0.${BAD_HOST_LINE - 1}`, hostMsg);
      await visible(dlg.getByText(`${N} rows: ${N - 1} ready, 1 with errors`, { exact: true }), 'the summary after the first fix');
      await fix(DUP_LINE, 'Username', `node${DUP_LINE - 1}@127.0.0.${DUP_LINE - 1}`, dupMsg);
      await visible(dlg.getByText(`${N} rows: ${N} ready`, { exact: true }), 'the summary with every row ready');
      await visible(line(2), 'every row again once none is bad');

      // Key delivery: the key file, and the sealed key of row 1.
      await fill(dlg, 'Key file', keyFile);
      const sealBox = dlg.getByLabel(/^Seal the keys of hosts with an ed25519 or RSA SSH key, one age file per host \(1 row\)/);
      await visible(sealBox, 'the Seal checkbox, counting 1 row');
      await sealBox.check();
      await fill(dlg, 'Directory for sealed keys', sealDir);
      // The progress bar shows while the run goes (a 50-row run is one batch: watch for it).
      await page.evaluate(() => {
        globalThis.__sawProgress = false;
        const seen = () => globalThis.document.querySelector('[aria-label="Creation progress"]');
        const o = new globalThis.MutationObserver(() => {
          if (seen()) {
            globalThis.__sawProgress = true;
            o.disconnect();
          }
        });
        o.observe(globalThis.document.body, { subtree: true, childList: true });
      });
      await click(dlg, `Create ${N} API Users`);
      await visible(dlg.getByText('API users created', { exact: true }), 'the result "API users created"');
      await visible(dlg.getByText(`${N} API users were created.`, { exact: true }), `"${N} API users were created."`);
      await visible(dlg.getByText(`${N - 1} keys saved to ${keyFile} (mode 0600).`), 'the key file line of the result');
      await visible(dlg.getByText(`1 sealed key file in ${sealDir}.`), 'the sealed files line of the result');
      if (!(await page.evaluate(() => globalThis.__sawProgress))) throw new Error('the "Creation progress" bar never showed');
      await viewShot(ctx, page, '02-result');

      // The key file: 0600, a header and one row per unsealed user.
      const mode = statSync(keyFile).mode & 0o777;
      if (mode !== 0o600) throw new Error(`key file mode ${mode.toString(8)}, want 600`);
      const keyRows = parseCsv(readFileSync(keyFile, 'utf8').replace(/\r?\n/g, '\r\n')).filter((r) => r.join('') !== '');
      if (keyRows[0]?.join(',') !== 'username,host,key') throw new Error(`key file header: ${keyRows[0]}`);
      const want = new Set();
      for (let i = 2; i <= N; i++) want.add(`node${i}@127.0.0.${i}`);
      const got = keyRows.slice(1);
      if (got.length !== N - 1) throw new Error(`key file: ${got.length} keys, want ${N - 1} (${N} users less the sealed one)`);
      for (const [u, h, k] of got) {
        if (!want.delete(u) || h !== u.split('@')[1] || !/^hbk_[0-9A-Za-z]{49}$/.test(k)) throw new Error(`key file row: ${u},${h},${k?.slice(0, 8)}…`);
      }
      if (want.size) throw new Error(`the key file lacks ${[...want].join(', ')}`);
      if (keyRows.some((r) => r[0] === SEALED)) throw new Error('the sealed key is in the key file too');

      // The sealed key opens with the host's SSH key only.
      const sealedFile = path.join(sealDir, `${SEALED}.key.age`);
      if (!existsSync(sealedFile)) throw new Error(`no sealed key at ${sealedFile}; the directory holds ${readdirSync(sealDir)}`);
      if ((statSync(sealedFile).mode & 0o777) !== 0o600) throw new Error(`sealed key mode ${(statSync(sealedFile).mode & 0o777).toString(8)}`);
      const dec = runTool('age', ['-d', '-i', idFile, sealedFile], 'the sealed key check needs age');
      const sealedKey = dec.stdout.trim();
      if (dec.status !== 0 || !/^hbk_[0-9A-Za-z]{49}$/.test(sealedKey)) {
        throw new Error(`age -d: exit ${dec.status}, stdout ${JSON.stringify(dec.stdout.slice(0, 12))}…, stderr ${dec.stderr}`);
      }
      await click(dlg, 'Close');
      await dlg.waitFor({ state: 'detached', timeout: uiTimeout });

      // That key fetches a shared password from 127.0.0.1.
      await shareDb01With(page, SEALED);
      expectPassword(app, sealedKey, db01PasswordRoute(app, sealedKey), SEALED);
      await stopApp(app);
    },
  },
  {
    name: 'kill-switch',
    about: 'Revoke keys… by Department: the preview, the reason required, the REST API refuses the Ops key with the reason while Sales works, Revoked in the list, Restore access',
    async run(ctx) {
      const app = await startApp(ctx, { keyring: false });
      const page = await openPage(ctx, app);
      await setUpWithPassphrase(page);
      await addDb01(page);
      const OPS = 'ops@localhost';
      const SALES = 'sales@localhost';
      const opsKey = await addLocalApiUser(page, OPS, 'Ops Job', { department: 'Ops' });
      const salesKey = await addLocalApiUser(page, SALES, 'Sales Job', { department: 'Sales' });
      await shareDb01With(page, OPS);
      await shareDb01With(page, SALES);
      const route = db01PasswordRoute(app, opsKey);
      expectPassword(app, opsKey, route, 'the Ops key before the revocation');
      expectPassword(app, salesKey, route, 'the Sales key before the revocation');

      // Users → Revoke keys… by Department "Ops".
      await nav(page, 'Users').click();
      await click(page, 'Revoke keys…');
      const dlg = page.getByRole('dialog', { name: 'Revoke keys' });
      await visible(dlg, 'the Revoke keys dialog');
      await dlg.getByRole('radio', { name: 'Department', exact: true }).check();
      const dept = dlg.getByRole('textbox', { name: 'Department', exact: true });
      await visible(dept, 'the Department field');
      await dept.fill('Ops');
      await click(dlg, 'Preview');
      await visible(dlg.getByText('1 API user selected: 1 will be revoked.', { exact: true }), 'the preview "1 API user selected: 1 will be revoked."');
      const affected = dlg.getByRole('table', { name: 'Affected API users' });
      const opsRow = affected.getByRole('row').filter({ hasText: OPS });
      await visible(opsRow, 'ops@localhost among the affected');
      await visible(opsRow.getByText('will be revoked', { exact: true }), 'ops@localhost "will be revoked"');
      await absent(affected.getByText(SALES), 'sales@localhost among the affected');
      await viewShot(ctx, page, '01-preview');

      // Without a reason: refused under the field; then with one.
      await click(dlg, 'Revoke keys of 1 API user');
      await visible(dlg.getByText('Reason: required', { exact: true }), 'the field error "Reason: required"');
      const reason = 'Ops host image leaked (INC-4711)';
      await fill(dlg, 'Reason', reason);
      await click(dlg, 'Revoke keys of 1 API user');
      await dlg.waitFor({ state: 'detached', timeout: uiTimeout });
      await visible(
        page.getByRole('status').filter({ hasText: 'Keys revoked' }).filter({ hasText: 'Access of 1 API user revoked' }),
        'the notice "Keys revoked: Access of 1 API user revoked…"',
      );

      // The REST API refuses the Ops key with the reason; the Sales key works.
      const refused = restCall(app, opsKey, route);
      const res = refused.body.operation?.result;
      if (refused.http !== 401 || res?.status !== 'Failed' || !res?.message?.includes(`Access revoked by an administrator: ${reason}`)) {
        throw new Error(`the revoked Ops key: want HTTP 401 Failed "Access revoked by an administrator: ${reason}", got HTTP ${refused.http} ${JSON.stringify(refused.body)}`);
      }
      expectPassword(app, salesKey, route, 'the Sales key after the Ops revocation');

      // The Users list: the Ops key is Revoked, the Sales key is not.
      const userRow = (u) => page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: u });
      await visible(userRow(OPS).getByText('Revoked', { exact: true }), 'the Ops user\'s key status "Revoked"');
      await visible(userRow(SALES).getByText('Active', { exact: true }), 'the Sales user\'s key status "Active"');
      await settled(page);
      await shot(ctx, page, '02-list-revoked');

      // Edit API User → Restore access.
      await click(page, `Actions for ${OPS}`);
      await page.getByRole('menuitem', { name: 'Edit', exact: true }).click();
      const edit = page.getByRole('dialog', { name: 'Edit API User' });
      const alert = edit.getByRole('alert').filter({ hasText: 'Access revoked' });
      await visible(alert, 'the "Access revoked" alert in Edit API User');
      await visible(alert.getByText(`: ${reason}`, { exact: false }), 'the reason in the alert');
      await click(edit, 'Restore access');
      await visible(edit.getByRole('status').filter({ hasText: 'Access restored' }), 'the "Access restored" note');
      await viewShot(ctx, page, '03-restored');
      await click(edit, 'Cancel');
      await edit.waitFor({ state: 'detached', timeout: uiTimeout });
      expectPassword(app, opsKey, route, 'the Ops key after Restore access');
      await visible(userRow(OPS).getByText('Active', { exact: true }), 'the Ops user\'s key status "Active" again');
      await stopApp(app);
    },
  },
  {
    name: 'keyboard',
    about: "the seed's 12 steps with the keyboard only: Tab to each control, type, Enter and Space",
    async run(ctx) {
      const app = await startApp(ctx, { keyring: false });
      const page = await openPage(ctx, app);
      await setUpWithPassphrase(page);
      const kb = page.keyboard;

      // Step 1: Users, Add User > Add API User.
      await tabTo(page, /^Users$/, 'the Users entry of the navigation');
      await kb.press('Enter');
      await visible(page.getByRole('table', { name: 'Users' }), 'the Users list');
      await tabTo(page, /^Add User/, 'the Add User menu');
      await kb.press('Enter');
      const item = page.getByRole('menuitem', { name: 'Add API User', exact: true });
      await visible(item, 'the Add API User menu item');
      for (let i = 0; i < 5 && !(await item.evaluate((el) => el === globalThis.document.activeElement)); i++) await kb.press('ArrowDown');
      await kb.press('Enter');
      const form = page.getByRole('dialog', { name: 'Add API User' });
      await visible(form, 'the Add API User form');
      // Steps 2-4: Username, Host Name, Full Name.
      for (const [label, value] of [
        [/^Username/, 'kbd@localhost'],
        [/^Host Name/, 'localhost'],
        [/^Full Name/, 'Keyboard Job'],
      ]) {
        await tabTo(page, label, `the field ${label}`);
        await kb.type(value);
      }
      // Step 5: Access Level, a combobox: type to filter, Enter picks.
      await tabTo(page, /^Access Level/, 'the Access Level field');
      await kb.press('ArrowDown');
      await kb.type('Password User');
      await kb.press('Enter');
      // Step 6: Access Scope, radios: reached by Tab, left as it is.
      await tabTo(page, /^Passwords Owned and Shared/, 'the Access Scope');
      // Step 7: the optional SSH key and certificate, in a collapsed section: Enter opens it, its fields are next.
      await tabTo(page, /^SSH CLI and certificate \(optional\)$/, 'the SSH CLI and certificate section');
      const optional = button(form, 'SSH CLI and certificate (optional)');
      if ((await optional.getAttribute('aria-expanded')) !== 'false') throw new Error('the optional section should start collapsed');
      await kb.press('Enter');
      await visible(field(form, 'Public key for SSH CLI access'), 'the SSH key field, opened by keyboard');
      if ((await optional.getAttribute('aria-expanded')) !== 'true') throw new Error('Enter did not expand the optional section');
      await tabTo(page, /^Public key for SSH CLI access$/, 'the SSH key field', 2);
      await tabTo(page, /^SSL Certificate for XML-RPC API access$/, 'the certificate field', 2);
      // Steps 8-9: REST API Enable Now, Generate, Copy.
      await tabTo(page, /^Enable Now/, 'Enable Now');
      await kb.press('Enter');
      await tabTo(page, /^Generate/, 'Generate');
      await kb.press('Enter');
      const keyBox = field(form, 'API Key');
      const deadline = Date.now() + uiTimeout;
      while (!(await keyBox.inputValue()).startsWith('hbk_')) {
        if (Date.now() > deadline) throw new Error('Generate (by keyboard) did not fill the API Key box');
        await sleep(100);
      }
      const key = await keyBox.inputValue();
      // Step 10: validity: Never Expires, with Space.
      await tabTo(page, /^Never Expires/, 'Never Expires');
      if (!(await field(form, 'Never Expires').isChecked())) await kb.press('Space');
      // Step 11: Department and Location.
      await tabTo(page, /^Department/, 'Department');
      await kb.type('IT');
      await tabTo(page, /^Location/, 'Location');
      await kb.type('Berlin');
      await shot(ctx, page, '01-form-by-keyboard');
      // Step 12: Save, with Enter.
      await tabTo(page, /^Save$/, 'Save');
      await kb.press('Enter');
      await form.waitFor({ state: 'detached', timeout: uiTimeout });
      const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'kbd@localhost' });
      for (const want of ['localhost', 'Password User']) await visible(row.getByText(want, { exact: true }).first(), `the row shows ${want}`);
      await shot(ctx, page, '02-list');
      await stopApp(app);
      if (key.length < 20) throw new Error('no key');
    },
  },
  {
    name: 'screens',
    about: 'every screen in light and dark at 1280×900 and 1920×1080: screenshots, and axe-core with 0 serious or critical violations',
    async run(ctx) {
      const app = await startApp(ctx, { keyring: false });
      const page = await openPage(ctx, app);
      const problems = [];
      const SIZES = [
        { w: 1280, h: 900 },
        { w: 1920, h: 1080 },
      ];
      // Each screen in both themes (the app follows the system's, "auto")
      // and both sizes: a viewport shot, then axe at 1280 (the rules do not
      // depend on the width).
      const look = async (step) => {
        for (const scheme of ['light', 'dark']) {
          await page.emulateMedia({ colorScheme: scheme });
          for (const { w, h } of SIZES) {
            await page.setViewportSize({ width: w, height: h });
            await settled(page);
            await page.screenshot({ path: path.join(artifacts, `e2e-${ctx.name}-${step}-${scheme}-${w}.png`) });
          }
          await page.setViewportSize({ width: 1280, height: 900 });
          await settled(page);
          problems.push(...(await axeViolations(page, artifacts, ctx.name, `${step}-${scheme}`)));
        }
        await page.emulateMedia({ colorScheme: 'light' });
      };
      const open = async (name, mentions) => {
        await nav(page, name).first().click();
        await visible(page.getByRole('heading', { name: mentions, exact: true }).first(), `the ${name} screen`);
      };

      await visible(text(page, 'Welcome to Hostbound'), 'setup screen');
      await look('01-setup');
      await setUpWithPassphrase(page);
      await look('02-home-empty');

      await addDb01(page);
      const key = await addLocalApiUser(page, 'job@localhost', 'Nightly Job');
      await addLocalApiUser(page, 'report-generator-with-a-long-name@localhost', 'Quarterly Report Generator of the Finance Department', { department: 'Finance' });
      await shareDb01With(page, 'job@localhost');
      // Some history: calls that succeed and one refused (a wrong key).
      const route = db01PasswordRoute(app, key);
      for (let i = 0; i < 3; i++) expectPassword(app, key, route, 'job@localhost');
      restCall(app, `${key.slice(0, -4)}AAAA`, 'resources');

      await open('Home', 'Home');
      await look('03-home');
      await open('Resources', 'Resources');
      await look('04-resources');
      await click(page, 'db01');
      await visible(page.getByRole('heading', { name: 'db01', exact: true }), 'the page of db01');
      await look('04-resource-detail');
      await nav(page, 'Users').first().click();
      await visible(page.getByRole('table', { name: 'Users' }), 'the Users list');
      await look('05-users');
      // A row opens the user's detail drawer: fields, shares, recent audit.
      await page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'Nightly Job' }).first().click();
      const detail = page.getByRole('dialog', { name: 'job@localhost', exact: true });
      await visible(detail.getByRole('table', { name: 'Shares' }), 'the shares in the user detail drawer');
      await visible(detail.getByRole('table', { name: 'Recent audit records' }), 'the recent audit in the user detail drawer');
      await look('05-user-detail');
      await detail.getByRole('table', { name: 'Recent audit records' }).scrollIntoViewIfNeeded();
      await look('05-user-detail-audit');
      // Edit in the drawer opens the form above it; Cancel goes back to the drawer.
      await click(detail, 'Edit');
      const editForm = page.getByRole('dialog', { name: 'Edit API User' });
      await visible(field(editForm, 'Full Name'), 'the Edit API User form over the user detail drawer');
      await settled(page);
      await page.screenshot({ path: path.join(artifacts, `e2e-${ctx.name}-05-user-detail-edit.png`) });
      await click(editForm, 'Cancel');
      await editForm.waitFor({ state: 'detached', timeout: uiTimeout });
      await visible(detail.getByRole('table', { name: 'Shares' }), 'the user detail drawer after Cancel');
      await page.keyboard.press('Escape');
      await detail.waitFor({ state: 'detached', timeout: uiTimeout });

      await click(page, 'Add User');
      await page.getByRole('menuitem', { name: 'Add API User', exact: true }).click();
      const form = page.getByRole('dialog', { name: 'Add API User' });
      await fill(form, 'Host Name', 'not a host name!');
      await click(form, 'Save');
      await visible(form.locator('[aria-invalid="true"]').first(), 'the form\'s errors');
      // Save is at the dialog's end; the first invalid field, Username at the top, is focused and scrolled into view.
      await expectFocusedInDialog(page, form, 'Username');
      await look('06-add-api-user-error');
      // A backend refusal of a field in the collapsed optional section opens it and lands there.
      await fill(form, 'Username', 'look@localhost');
      await fill(form, 'Host Name', 'localhost');
      await fill(form, 'Full Name', 'Look Job');
      await click(form, 'SSH CLI and certificate (optional)');
      await fill(form, 'Public key for SSH CLI access', 'ssh-ed25519 not-a-key look@localhost');
      await click(form, 'SSH CLI and certificate (optional)');
      await field(form, 'Public key for SSH CLI access').waitFor({ state: 'hidden', timeout: uiTimeout });
      await click(form, 'Save');
      await visible(field(form, 'Public key for SSH CLI access').and(form.locator('[aria-invalid="true"]')), 'the SSH key field with its error');
      await expectFocusedInDialog(page, form, 'Public key for SSH CLI access');
      await look('06-add-api-user-backend-error');
      await click(form, 'Cancel');
      await form.waitFor({ state: 'detached', timeout: uiTimeout });

      await nav(page, 'Audit').first().click();
      await visible(page.getByRole('table', { name: 'Audit records' }), 'the Audit records');
      await look('07-audit');
      // A row opens the whole record in a drawer.
      await page.getByRole('table', { name: 'Audit records' }).getByRole('row').filter({ hasText: 'reveal password' }).first().click();
      const record = page.getByRole('dialog', { name: /^Audit record \d+$/ });
      await visible(record.getByText('Previous Hash', { exact: true }), 'the audit record drawer');
      await look('07-audit-record');
      await page.keyboard.press('Escape');
      await record.waitFor({ state: 'detached', timeout: uiTimeout });
      for (const [name, heading] of [
        ['Reports', 'Reports'],
        ['Roles', 'Roles'],
        ['Settings', 'Settings'],
      ]) {
        await open(name, heading);
        await look(`08-${name.toLowerCase()}`);
      }
      // Settings → API keys: the Default key validity takes digits only; the backend refuses 0 and 5000, naming the rule.
      const validity = page.getByRole('region', { name: 'API keys' });
      const days = field(validity, 'Default key validity');
      await visible(days, 'the Default key validity field');
      if ((await days.inputValue()) !== '90') throw new Error(`Default key validity: want 90, have ${await days.inputValue()}`);
      await days.fill('');
      await days.pressSequentially('abc');
      if ((await days.inputValue()) !== '') throw new Error(`Default key validity took letters: ${await days.inputValue()}`);
      const rule = validity.getByText('Default key validity: a whole number of days from 1 to 3650', { exact: true });
      for (const wrong of ['0', '5000']) {
        await days.fill(wrong);
        await click(validity, 'Save');
        await visible(rule, `the backend's rule under the field for ${wrong}`);
        await expectFocused(page, 'Default key validity');
      }
      await validity.scrollIntoViewIfNeeded();
      await look('08-settings-key-validity-error');
      await days.fill('30');
      await click(validity, 'Save');
      await visible(validity.getByRole('status').filter({ hasText: 'Default key validity saved: 30 days.' }), 'Default key validity saved');
      await stopApp(app);
      if (problems.length > 0) {
        throw new Error(`axe-core found ${problems.length} serious or critical violations (JSON beside the screenshots):\n  ${problems.join('\n  ')}`);
      }
    },
  },
  {
    name: 'sample-data',
    about: 'Explore with sample data from the first-run screen: the banner, Home and Users with data, no REST API, Leave, open again, Discard',
    async run(ctx) {
      const app = await startApp(ctx, { keyring: false });
      const page = await openPage(ctx, app);
      const sampleDir = `${ctx.dataDir} sample data`;
      const banner = page.getByRole('region', { name: 'Sample data' });
      const problems = [];

      await visible(text(page, 'Welcome to Hostbound'), 'setup screen');
      await absent(button(page, 'Open sample data again'), '"Open sample data again" before any sample');
      await click(page, 'Explore with sample data');
      await visible(banner.getByText('Sample data — nothing here is real'), 'the sample data banner');
      await visible(page.getByRole('heading', { name: 'Welcome, Sample Administrator' }), 'Home as the sample administrator');
      await visible(page.getByRole('heading', { name: 'API users and keys' }), 'the key figures');
      await visible(text(page, '192.0.2.99'), 'a refused host among the recent refusals');
      await viewShot(ctx, page, '01-home');
      // The expiring-keys banner shows too (backup-agent's key expires in
      // 5 days): axe judges it with the rest.
      await visible(page.getByRole('region', { name: /API keys? expires? within 30 days/ }), 'the expiring-keys banner');
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        await settled(page);
        problems.push(...(await axeViolations(page, artifacts, ctx.name, `01-home-${scheme}`)));
      }
      await page.emulateMedia({ colorScheme: 'light' });

      // Sample keys never reach a port: the REST API is not listening.
      const apiPort = Number(new URL(app.apiBase).port);
      const listening = await new Promise((resolve) => {
        const sock = net.connect(apiPort, '127.0.0.1');
        sock.once('connect', () => (sock.destroy(), resolve(true)));
        sock.once('error', () => resolve(false));
      });
      if (listening) throw new Error(`the REST API listens on ${apiPort} over sample data`);

      await nav(page, 'Users').first().click();
      const users = page.getByRole('table', { name: 'Users' });
      await visible(users.getByRole('row').filter({ hasText: 'ci-runner' }), 'the sample API user ci-runner in Users');
      await visible(users.getByRole('row').filter({ hasText: 'legacy-script' }), 'the expired sample API user in Users');
      await visible(banner, 'the banner on Users too');
      await viewShot(ctx, page, '02-users');

      await click(banner, 'Leave');
      await visible(button(page, 'Open sample data again'), 'the setup screen offering the sample again');
      await absent(banner, 'the banner after Leave');
      if (!existsSync(sampleDir)) throw new Error(`Leave removed ${sampleDir}`);
      await viewShot(ctx, page, '03-after-leave');

      await click(page, 'Open sample data again');
      await visible(banner, 'the banner, the sample opened again');
      await visible(page.getByRole('heading', { name: 'Welcome, Sample Administrator' }), 'Home again');
      await click(banner, 'Discard sample data');
      await visible(button(page, 'Explore with sample data'), 'the setup screen after Discard');
      await absent(banner, 'the banner after Discard');
      if (existsSync(sampleDir)) throw new Error(`Discard left ${sampleDir}`);
      if (existsSync(path.join(ctx.dataDir, 'masterkey.json')) || existsSync(path.join(ctx.dataDir, 'db'))) {
        throw new Error(`the real data directory ${ctx.dataDir} got a key or a store`);
      }
      await viewShot(ctx, page, '04-after-discard');
      await stopApp(app);
      if (problems.length > 0) {
        throw new Error(`axe-core found ${problems.length} serious or critical violations:\n  ${problems.join('\n  ')}`);
      }
    },
  },
];

// ---- runner ------------------------------------------------------------------------

async function runScenario(sc) {
  for (const f of readdirSync(artifacts)) {
    if (f.startsWith(`e2e-${sc.name}-`)) rmSync(path.join(artifacts, f), { force: true });
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), `hostbound-e2e-${sc.name}-`));
  const sub = (d) => {
    const p = path.join(tmp, d);
    mkdirSync(p, { recursive: true });
    return p;
  };
  const logPath = path.join(artifacts, `e2e-${sc.name}-app.log`);
  const ctx = {
    name: sc.name,
    tmp, // scratch space, removed after the scenario
    dataDir: path.join(tmp, 'data'), // created by the app (0700)
    xdg: { config: sub('xdg-config'), data: sub('xdg-data'), cache: sub('xdg-cache'), state: sub('xdg-state') },
    logPath,
    log: createWriteStream(logPath),
    apps: [],
    starts: 0,
    browser: null,
    page: null,
    consoleHooked: new WeakSet(),
  };
  const t0 = Date.now();
  console.log(`--- ${sc.name}: ${sc.about}`);
  let error = null;
  try {
    ctx.browser = await chromium.launchPersistentContext(sub('chromium-profile'), {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await sc.run(ctx);
  } catch (err) {
    error = err;
    if (ctx.page) {
      await shot(ctx, ctx.page, 'failure').catch(() => {});
    }
  } finally {
    for (const app of ctx.apps) await stopApp(app).catch(() => {});
    for (const child of [...running]) killGroup(child, 'SIGKILL');
    if (ctx.browser) await ctx.browser.close().catch(() => {});
    await new Promise((r) => ctx.log.end(r));
    if (!keepTemp) rmSync(tmp, { recursive: true, force: true });
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (!error) {
    console.log(`ok   ${sc.name} (${secs}s)`);
    return true;
  }
  console.log(`FAIL ${sc.name} (${secs}s): ${error.message}`);
  console.log(`     screenshot: ${path.join(artifacts, `e2e-${sc.name}-failure.png`)}`);
  console.log(`     app output (${logPath}), last lines:`);
  const tail = existsSync(logPath) ? readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-25) : [];
  for (const line of tail) console.log(`     | ${line}`);
  return false;
}

async function main() {
  if (!existsSync(bin)) throw new Error(`${bin} not found: run make build-dev`);
  if (!existsSync(path.join(assetDir, 'index.html'))) throw new Error(`${assetDir}/index.html not found: run make frontend`);
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} not found: run tools/install-deps.sh`);
  if (!process.env.DISPLAY) throw new Error('no DISPLAY: run under xvfb-run or tools/with-secret-service.sh');
  mkdirSync(artifacts, { recursive: true });

  const chosen = scenarios.filter((s) => s.name.includes(filter));
  if (chosen.length === 0) throw new Error(`no scenario matches "${filter}"`);
  let passed = 0;
  let failed = 0;
  for (const sc of chosen) {
    if (await runScenario(sc)) passed += 1;
    else failed += 1;
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`e2e: ${err.message}`);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
