// End-to-end test of the web console in a real browser (puppeteer-core + Debian's chromium),
// started by run.sh against a fresh liaison-central and an enrolled tablet:
//   a. office (zh): the case list shows the markup case's title as text; 交办 it to the department
//   b. department: inbox, 签收, 办理进展, 答复
//   c. office: 审核通过 → 已办结
//   d. tablet: sync, the case is resolved with the result; 反馈, 测评 满意; sync
//   e. 总览: 办结率 and 满意率 tiles = /console/api/overview = `liaison stats --json` for the year
//   f. two registered cases selected and assigned at once, checked through the API
//   g. screenshots of every page, 1440x900 and 390x844, zh and en, each checked not blank
// No `dialog` event (alert, confirm) may fire during the whole run, no page error may be thrown
// and no Content-Security-Policy violation may be reported.
// First of all the page, script and style sheet must come with their Content-Type (the page is
// served with X-Content-Type-Options: nosniff).
// Usage: node e2e.js --url http://127.0.0.1:PORT --data TABLET_DIR --case CASE_ID --xss TITLE
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { execFileSync } = require('child_process');
const puppeteer = require('puppeteer-core');

const t0 = Date.now();
const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const BASE = String(args.url || '').replace(/\/$/, '');
const CONSOLE = BASE + '/console/';
const TABLET = args.data;
const CASE_ID = args.case;
const XSS = args.xss || '<img src=x onerror=alert(1)>';
const LIAISON = process.env.LIAISON || 'liaison';
const CHROMIUM = process.env.LIAISON_CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.LIAISON_CONSOLE_SHOTS || path.resolve(__dirname, '../../build/console-shots');
const env = (k, d) => process.env[k] || d;
const OFFICE = { user: env('E2E_OFFICE_USER', 'office'), password: env('E2E_OFFICE_PASSWORD', '') };
const DEPT = { user: env('E2E_DEPT_USER', 'zjj'), password: env('E2E_DEPT_PASSWORD', '') };
const ADMIN = { user: env('E2E_ADMIN_USER', 'admin'), password: env('E2E_ADMIN_PASSWORD', '') };
const DEPARTMENT = env('E2E_DEPARTMENT', '区住建局');
const BULK_DEPARTMENT = '区城管局';
const SIZES = [{ name: '1440x900', width: 1440, height: 900, mobile: false }, { name: '390x844', width: 390, height: 844, mobile: true }];
const WAIT = 15000;
const DEADLINE_MS = Number(env('E2E_TIMEOUT_S', '240')) * 1000;

function fail(msg) { const e = new Error(msg); e.e2e = true; throw e; }
function check(cond, msg) { if (!cond) fail(msg); }
function isoDate(d) { return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); }
function daysFromNow(n) { const d = new Date(); d.setDate(d.getDate() + n); return isoDate(d); }
const YEAR = String(new Date().getFullYear());
const short = (s, n = 160) => { s = String(s).replace(/\s+/g, ' ').trim(); return s.length > n ? s.slice(0, n) + '…' : s; };

// ---------- the tablet (command line) ----------
function tablet(...words) {
  try {
    return execFileSync(LIAISON, ['--data', TABLET, ...words], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });
  } catch (e) {
    fail(`liaison ${words.join(' ')} exited ${e.status}: ${short((e.stderr || '') + (e.stdout || ''))}`);
  }
}
function tabletJson(...words) {
  const out = tablet(...words);
  try { return JSON.parse(out); } catch (e) { return fail(`liaison ${words.join(' ')}: not JSON: ${short(out)}`); }
}

// ---------- the API from node (its own session) ----------
class Api {
  constructor(who) { this.who = who; this.cookie = ''; this.csrf = ''; }
  async login() {
    const r = await fetch(CONSOLE + 'api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: this.who.user, password: this.who.password }) });
    const body = await r.text();
    check(r.status === 200, `POST /console/api/login as ${this.who.user} answered ${r.status}: ${short(body)}`);
    const c = (r.headers.getSetCookie ? r.headers.getSetCookie() : [r.headers.get('set-cookie') || ''])
      .map((x) => x.split(';')[0]).find((x) => x.startsWith('liaison_session='));
    check(c, `POST /console/api/login set no liaison_session cookie`);
    this.cookie = c;
    this.csrf = JSON.parse(body).csrf;
    return this;
  }
  async call(method, p, body) {
    const headers = { Accept: 'application/json', Cookie: this.cookie };
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(CONSOLE + 'api/' + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    check(r.ok, `${method} /console/api/${p} answered ${r.status}: ${short(text)}`);
    try { return JSON.parse(text); } catch (e) { return fail(`${method} /console/api/${p}: not JSON: ${short(text)}`); }
  }
  get(p) { return this.call('GET', p); }
}

// ---------- a small PNG reader: size and distinct colours ----------
function pngStats(buf) {
  check(buf.length > 8 && buf.readUInt32BE(0) === 0x89504e47, 'not a PNG');
  let off = 8, width = 0, height = 0, depth = 0, type = 0, interlace = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off), kind = buf.toString('latin1', off + 4, off + 8), data = buf.subarray(off + 8, off + 8 + len);
    if (kind === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); depth = data[8]; type = data[9]; interlace = data[12]; }
    else if (kind === 'IDAT') idat.push(data);
    else if (kind === 'IEND') break;
    off += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[type];
  if (depth !== 8 || !channels || interlace) return { width, height, colours: -1, top: -1 };  // not decoded: size only
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const prev = Buffer.alloc(stride), cur = Buffer.alloc(stride);
  const counts = new Map();
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels] : 0, b = prev[i], c = i >= channels ? prev[i - channels] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      cur[i] = v & 255;
    }
    for (let x = 0; x < width; x += 2) {  // every other pixel is plenty
      let k = 0;
      for (let ch = 0; ch < Math.min(3, channels); ch++) k = k * 256 + cur[x * channels + ch];
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    cur.copy(prev);
  }
  let top = 0, total = 0;
  for (const n of counts.values()) { total += n; if (n > top) top = n; }
  return { width, height, colours: counts.size, top: top / total };
}

// ---------- the browser ----------
let browser, page, userDataDir;
const dialogs = [], pageErrors = [], cspErrors = [];
const steps = [];
let shots = 0;
const bulkIds = [];

async function newPage() {
  const p = await browser.newPage();
  p.setDefaultTimeout(WAIT);
  p.on('dialog', async (d) => { dialogs.push(`${d.type()}: ${d.message()}`); try { await d.dismiss(); } catch (e) { /* gone */ } });
  p.on('pageerror', (e) => pageErrors.push(short(e.message || e)));
  p.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(text)) cspErrors.push(short(text));
  });
  await p.setViewport({ width: 1440, height: 900 });
  return p;
}
function assertClean(where) {
  check(dialogs.length === 0, `a JavaScript dialog opened (${where}): ${dialogs.join(' | ')}`);
  check(pageErrors.length === 0, `the page threw (${where}): ${pageErrors.join(' | ')}`);
  check(cspErrors.length === 0, `Content-Security-Policy violation (${where}): ${cspErrors.join(' | ')}`);
}
const q = (sel) => `[data-test="${sel}"]`;

// Waits until the page's root is page-NAME, fresh (not the one before the navigation) and loaded.
async function waitPage(name) {
  try {
    await page.waitForFunction((n) => {
      const el = document.querySelector('#main .page');
      return el && el.getAttribute('data-test') === 'page-' + n && !el.hasAttribute('data-e2e-old') && !el.querySelector('.loading');
    }, { timeout: WAIT }, name);
  } catch (e) {
    const now = await page.evaluate(() => {
      const el = document.querySelector('#main .page') || document.querySelector('[data-test^="page-"]');
      return (el ? el.getAttribute('data-test') : 'no page') + ' · ' + location.hash + ' · ' + document.body.innerText.slice(0, 200);
    }).catch(() => '?');
    fail(`page-${name} did not load within ${WAIT / 1000} s (now: ${short(now)})`);
  }
  const err = await page.$eval('#main .page', (el) => {
    const e = el.querySelector('[data-test="error"]');
    return e ? e.textContent : '';
  });
  check(!err, `page-${name} shows an error: ${err}`);
}
async function goPage(hash, name) {
  const same = await page.evaluate((h) => {
    const el = document.querySelector('#main .page');
    if (el) el.setAttribute('data-e2e-old', '');
    const same = location.hash === h;
    if (!same) location.hash = h;
    return same;
  }, hash);
  if (same) await page.reload();
  await waitPage(name);
}
async function openConsole() {
  const r = await page.goto(CONSOLE, { waitUntil: 'domcontentloaded' });
  check(r && r.status() === 200, `GET /console/ answered ${r && r.status()}`);
}
async function login(who, landing) {
  if (!(await page.$(q('login-user')))) await openConsole();
  await page.waitForSelector(q('login-user'));
  await page.$eval(q('login-user'), (el) => { el.value = ''; });
  await page.type(q('login-user'), who.user);
  await page.type(q('login-password'), who.password);
  await page.click(q('login-submit'));
  try {
    await page.waitForSelector('#main .page', { timeout: WAIT });
  } catch (e) {
    const msg = await page.$eval(q('login-error'), (el) => el.textContent).catch(() => '');
    fail(`sign-in as ${who.user} did not open the console${msg ? ': ' + msg : ''}`);
  }
  await waitPage(landing);
  const me = await page.$eval(q('me'), (el) => el.textContent);
  check(me.length > 0, `no user name in the header after signing in as ${who.user}`);
}
async function logout() {
  await page.click(q('logout'));
  await page.waitForSelector(q('login-user'));
}
async function setLang(want) {
  const cur = await page.evaluate(() => document.documentElement.lang);
  if ((want === 'en') === (cur === 'en')) return;
  await page.evaluate(() => { const el = document.querySelector('#main .page'); if (el) el.setAttribute('data-e2e-old', ''); });
  await page.click(q('lang'));
  await page.waitForFunction((w) => (document.documentElement.lang === 'en') === (w === 'en'), {}, want);
}
async function setValue(sel, value) {
  await page.$eval(sel, (el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}
async function selectByText(sel, text) {
  const value = await page.$eval(sel, (el, tx) => { const o = [...el.options].find((x) => x.textContent === tx); return o ? o.value : null; }, text);
  check(value, `${sel} has no option ${text}`);
  await page.select(sel, value);
}
async function caseStatus() { return page.$eval(q('case-status'), (el) => ({ code: el.getAttribute('data-status'), text: el.textContent })); }
// Opens the case page's action dialog, fills it (fn), submits, and waits for the dialog to close
// and the case to be drawn again with the expected status.
async function caseAction(action, fn, wantStatus) {
  const btn = await page.$(q('action-' + action));
  if (!btn) {
    const have = await page.$$eval('[data-test^="action-"]', (els) => els.map((e) => e.getAttribute('data-test')));
    fail(`the case page offers no ${action} (it offers: ${have.join(', ') || 'nothing'})`);
  }
  await btn.click();
  await page.waitForSelector('dialog[open] ' + q('dialog-submit'));
  if (fn) await fn();
  await page.click('dialog[open] ' + q('dialog-submit'));
  try {
    await page.waitForFunction(() => !document.querySelector('dialog[open]'), { timeout: WAIT });
  } catch (e) {
    const err = await page.$eval('dialog[open]', (d) => { const x = d.querySelector('[data-test="error"]'); return x ? x.textContent : d.innerText; }).catch(() => '');
    fail(`the ${action} dialog did not close: ${short(err)}`);
  }
  await page.waitForFunction((w) => { const el = document.querySelector('[data-test="case-status"]'); return el && el.getAttribute('data-status') === w; },
    { timeout: WAIT }, wantStatus).catch(async () => fail(`after ${action} the case's status is ${(await caseStatus()).code}, not ${wantStatus}`));
}
async function timelineKinds() { return page.$$eval(q('timeline') + ' li', (els) => els.map((e) => e.getAttribute('data-kind'))); }

// ---------- the steps ----------
async function step(name, fn) {
  const s = Date.now();
  try { await fn(); } catch (e) { e.step = name; throw e; }
  assertClean(name);
  steps.push(name);
  console.log(`  ok  ${name} (${((Date.now() - s) / 1000).toFixed(1)} s)`);
}

const RESULT = '已完成路灯更换（共 3 盏），并建立每月巡查制度。<b>不是标记</b>';
const PROGRESS = '已派人现场查看，正在采购灯具。';
const DEADLINE = daysFromNow(14);
const BULK_DEADLINE = daysFromNow(10);

async function main() {
  check(BASE && TABLET && CASE_ID, 'usage: node e2e.js --url URL --data TABLET_DIR --case CASE_ID');
  check(fs.existsSync(CHROMIUM), `no browser at ${CHROMIUM}`);
  const office = await new Api(OFFICE).login();

  await step('the console\'s files have their Content-Type', async () => {
    for (const [p, type] of [['', 'text/html'], ['app.js', 'text/javascript'], ['app.css', 'text/css']]) {
      const r = await fetch(CONSOLE + p);
      const got = r.headers.get('content-type') || '';
      check(r.status === 200, `GET /console/${p} answered ${r.status}`);
      const bad = `GET /console/${p} answered Content-Type "${got}", not ${type} (with X-Content-Type-Options: nosniff the browser neither renders nor runs it)`;
      check(got.startsWith(type), bad);
    }
  });

  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-chromium-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--no-proxy-server', '--lang=zh-CN'],
  });
  page = await newPage();

  // a. office: the markup case is text; 交办 to the department
  await step('a. office (zh): the markup title is text; 交办 with a deadline', async () => {
    await openConsole();
    await login(OFFICE, 'overview');
    check(await page.evaluate(() => document.documentElement.lang) === 'zh-CN', 'the console did not start in Chinese');
    await page.click(q('nav-cases'));
    await waitPage('cases');
    const row = `${q('case-row')}[data-id="${CASE_ID}"]`;
    check(await page.$(row), `the case list does not list case ${CASE_ID}`);
    const cell = await page.$eval(row, (el) => ({ text: el.querySelector('[data-test="case-link"]').textContent, imgs: el.querySelectorAll('img, svg, script').length }));
    check(cell.text === XSS, `the case list shows the title as "${cell.text}", not the literal "${XSS}"`);
    check(cell.imgs === 0, 'the markup in the title became elements in the case list');
    await page.click(`${row} ${q('case-link')}`);
    await waitPage('case');
    const title = await page.$eval(q('case-title'), (el) => el.textContent);
    check(title === XSS, `the case page's title is "${title}", not the literal "${XSS}"`);
    const visit = await page.$eval(q('visit'), (el) => el.textContent);
    check(visit.includes(XSS), 'the visit\'s subject is not shown as text on the case page');
    check(await page.$$eval('img[src="x"], script:not([src]), svg[onload]', (e) => e.length) === 0, 'the markup became elements on the case page');
    await caseAction('assign', async () => {
      await selectByText('dialog[open] ' + q('f-department'), DEPARTMENT);
      await setValue('dialog[open] ' + q('f-deadline'), DEADLINE);
      await page.type('dialog[open] ' + q('f-note'), '请于两周内办理并答复。');
    }, 'assigned');
    const dep = await page.$eval('[data-test="case-deadline"]', (el) => el.textContent);
    check(dep.includes(DEADLINE), `the case page shows the deadline "${dep}", not ${DEADLINE}`);
    check((await timelineKinds()).includes('assigned'), 'the timeline has no 交办 event');
    await logout();
  });

  // b. department: inbox → 签收 → 办理进展 → 答复
  await step('b. department: inbox, 签收, 办理进展, 答复', async () => {
    await login(DEPT, 'inbox');
    const card = `${q('case-row')}[data-id="${CASE_ID}"]`;
    check(await page.$(card), 'the department\'s inbox does not list the assigned case');
    const text = await page.$eval(card, (el) => el.querySelector('.inbox-title').textContent);
    check(text === XSS, `the inbox shows the title as "${text}"`);
    await page.click(card);
    await waitPage('case');
    check(!(await page.$(q('visitors'))), 'the department sees the visitors before 签收');
    await caseAction('accept', null, 'in_progress');
    await caseAction('progress', async () => { await page.type('dialog[open] ' + q('f-note'), PROGRESS); }, 'in_progress');
    check((await timelineKinds()).includes('progress'), 'the timeline has no 办理进展 event');
    await caseAction('reply', async () => { await page.type('dialog[open] ' + q('f-result'), RESULT); }, 'replied');
    const result = await page.$eval(q('case-result'), (el) => el.textContent);
    check(result === RESULT, `the case page shows the result "${result}"`);
    await logout();
  });

  // c. office: 审核通过
  await step('c. office: 审核通过 → 已办结', async () => {
    await login(OFFICE, 'overview');
    await goPage('#/cases/' + encodeURIComponent(CASE_ID), 'case');
    await caseAction('approve', null, 'resolved');
    const st = await caseStatus();
    check(st.text === '已办结', `case-status reads "${st.text}", not 已办结`);
    const kinds = await timelineKinds();
    for (const k of ['created', 'assigned', 'accepted', 'progress', 'replied', 'resolved']) check(kinds.includes(k), `the timeline lacks ${k} (has ${kinds.join(', ')})`);
  });

  // d. the tablet pulls the result, records 反馈 and 测评, pushes them
  await step('d. tablet: sync, resolved with the result; 反馈, 测评 满意; sync', async () => {
    tablet('sync');
    const c = tabletJson('case', 'show', CASE_ID, '--json');
    check(c.status === 'resolved', `after sync the tablet has the case as ${c.status}, not resolved`);
    check(c.result === RESULT, `the tablet has the result "${short(c.result)}"`);
    check(c.department && c.department.name === DEPARTMENT, `the tablet has the department ${JSON.stringify(c.department)}`);
    tablet('case', 'feedback', CASE_ID, '--channel', 'phone');
    tablet('case', 'rate', CASE_ID, '--satisfaction', '满意');
    tablet('sync');
    const r = await office.get('cases/' + encodeURIComponent(CASE_ID));
    check(r.status === 'rated' && r.satisfaction === 'satisfied', `after the tablet's sync the centre has the case as ${r.status}/${r.satisfaction}`);
  });

  // e. the overview's figures agree with the API and with the tablet
  await step('e. 总览: 办结率 and 满意率 = API = tablet stats', async () => {
    await goPage('#/overview', 'overview');
    const tile = (n) => page.$eval(q('tile-' + n) + ' .tile-value', (el) => el.textContent);
    const shown = { resolution: await tile('resolution'), satisfaction: await tile('satisfaction') };
    const from = YEAR + '-01-01', to = YEAR + '-12-31';
    const api = (await office.get(`overview?from=${from}&to=${to}`)).total;
    const tab = tabletJson('stats', '--from', from, '--to', to, '--json').total;
    for (const k of ['resolution', 'satisfaction']) {
      check(shown[k] === api[k + '_rate'], `the ${k} tile shows ${shown[k]}, the API ${api[k + '_rate']}`);
      check(api[k + '_rate'] === tab[k + '_rate'], `${k}_rate: the centre ${api[k + '_rate']}, the tablet ${tab[k + '_rate']}`);
      check(api[k + '_permille'] === tab[k + '_permille'], `${k}_permille: the centre ${api[k + '_permille']}, the tablet ${tab[k + '_permille']}`);
    }
    for (const k of ['visits', 'people', 'suggestions', 'resolved', 'rated', 'satisfied']) {
      check(api[k] === tab[k], `${k}: the centre ${api[k]}, the tablet ${tab[k]}`);
    }
    check(api.rated >= 1 && api.satisfied >= 1, `the overview counts no rated case (rated ${api.rated})`);
    console.log(`      办结率 ${shown.resolution}, 满意率 ${shown.satisfaction} (${api.resolved}/${api.suggestions} resolved, ${api.satisfied}+${api.basically}/${api.rated} satisfied)`);
  });

  // f. bulk 交办
  await step('f. bulk: two registered cases assigned at once', async () => {
    await goPage('#/cases?status=registered', 'cases');
    const ids = await page.$$eval(q('row-check'), (els) => els.map((e) => e.getAttribute('data-id')));
    check(ids.length >= 2, `only ${ids.length} registered case(s) to select`);
    const pick = ids.slice(0, 2);
    bulkIds.push(...pick);
    for (const id of pick) await page.click(`${q('row-check')}[data-id="${id}"]`);
    const label = await page.$eval(q('bulk-assign'), (el) => el.textContent);
    check(label.includes('(2)'), `the bulk button reads "${label}" with two selected`);
    await page.click(q('bulk-assign'));
    await page.waitForSelector('dialog[open] ' + q('f-department'));
    await selectByText('dialog[open] ' + q('f-department'), BULK_DEPARTMENT);
    await setValue('dialog[open] ' + q('f-deadline'), BULK_DEADLINE);
    await page.click('dialog[open] ' + q('dialog-submit'));
    await page.waitForSelector('dialog[open] ' + q('bulk-result'));
    const res = await page.$eval('dialog[open] ' + q('bulk-result'), (el) => el.textContent);
    check(res.includes('已交办 2 件'), `the bulk result reads "${short(res)}"`);
    await page.click('dialog[open] ' + q('dialog-cancel'));
    await waitPage('cases');
    for (const id of pick) {
      const c = await office.get('cases/' + encodeURIComponent(id));
      check(c.status === 'assigned', `bulk-assigned case ${id} is ${c.status} in the API`);
      check(c.department && c.department.name === BULK_DEPARTMENT, `bulk-assigned case ${id} went to ${JSON.stringify(c.department)}`);
      check(c.deadline === BULK_DEADLINE, `bulk-assigned case ${id} has the deadline ${c.deadline}`);
    }
    const left = await page.$$eval(q('row-check'), (els) => els.map((e) => e.getAttribute('data-id')));
    check(pick.every((id) => !left.includes(id)), 'the list of registered cases still shows the assigned ones');
    await logout();
  });

  // g. screenshots
  await step('g. screenshots of every page, 1440x900 and 390x844, zh and en', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.unlinkSync(path.join(SHOTS, f));
    const plan = [
      { who: OFFICE, landing: 'overview', pages: [['overview', '#/overview'], ['cases', '#/cases'], ['case', '#/cases/' + encodeURIComponent(CASE_ID)],
        ['case', '#/cases/' + encodeURIComponent(bulkIds[0]), 'case-open', 'assign'], ['reports', '#/reports']] },
      { who: DEPT, landing: 'inbox', pages: [['inbox', '#/inbox'], ['case', '#/cases/' + encodeURIComponent(CASE_ID)]] },
      { who: ADMIN, landing: 'overview', pages: [['stations', '#/stations'], ['departments', '#/departments'], ['users', '#/users'], ['reports', '#/reports'], ['cases', '#/cases']] },
    ];
    for (const lang of ['zh', 'en']) {
      // the sign-in page
      await openConsole();
      await page.waitForSelector(q('login-user'));
      await setLang(lang);
      for (const size of SIZES) await shoot(`login_${size.name}_${lang}`, size, null);
      for (const p of plan) {
        await login(p.who, p.landing);
        await setLang(lang);
        const role = p.who === OFFICE ? 'office' : p.who === DEPT ? 'department' : 'admin';
        for (const size of SIZES) {
          for (const [name, hash, label, action] of p.pages) {
            await goPage(hash, name);
            await shoot(`${role}_${label || name}_${size.name}_${lang}`, size, name);
            if (action) {  // the action's dialog over the page
              await page.click(q('action-' + action));
              await page.waitForSelector('dialog[open] ' + q('dialog-submit'));
              await shoot(`${role}_${label || name}-dialog_${size.name}_${lang}`, size, null, true);
              await page.click('dialog[open] ' + q('dialog-cancel'));
              await page.waitForFunction(() => !document.querySelector('dialog[open]'));
            }
          }
        }
        await setSize(SIZES[0], p.pages[p.pages.length - 1][0]);
        await logout();
      }
    }
    await setLang('zh');
  });
}

let currentViewport = '1440x900';
// Sets the window's size; a change of isMobile reloads the page: wait for it to be drawn again.
async function setSize(size, pageName) {
  if (currentViewport === size.name) return;
  await page.setViewport({ width: size.width, height: size.height, isMobile: size.mobile, hasTouch: size.mobile, deviceScaleFactor: 1 });
  currentViewport = size.name;
  if (pageName) await waitPage(pageName);
  else await page.waitForSelector(q('login-user'));
}
async function shoot(name, size, pageName, asIs) {
  if (!asIs) await setSize(size, pageName);
  if (pageName) {  // draw again at this size (the chart and the filters' open state follow the width)
    await page.evaluate(() => { const el = document.querySelector('#main .page'); if (el) el.setAttribute('data-e2e-old', ''); window.dispatchEvent(new HashChangeEvent('hashchange')); });
    await waitPage(pageName);
  }
  await page.evaluate(async () => {
    for (const el of document.querySelectorAll('#toasts .toast')) el.remove();
    await document.fonts.ready;
  });
  const info = await page.evaluate(() => ({
    text: document.body.innerText.trim().length,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    lang: document.documentElement.lang,
  }));
  check(info.text > 0, `${name}: the page has no text`);
  check(info.overflow <= 1, `${name}: the page is ${info.overflow} px wider than the ${size.width} px window`);
  const file = path.join(SHOTS, name + '.png');
  const buf = Buffer.from(await page.screenshot({ fullPage: !asIs, type: 'png' }));
  fs.writeFileSync(file, buf);
  check(buf.length > 10 * 1024, `${name}.png is only ${buf.length} bytes`);
  const st = pngStats(buf);
  check(st.width === size.width, `${name}.png is ${st.width} px wide, not ${size.width}`);
  check(st.height >= size.height, `${name}.png is ${st.height} px high, less than ${size.height}`);
  if (st.colours >= 0) {
    check(st.colours >= 16, `${name}.png has only ${st.colours} colours: blank?`);
    check(st.top < 0.97, `${name}.png is ${(st.top * 100).toFixed(1)}% one colour: blank?`);
  }
  shots++;
}

const timer = setTimeout(() => { tidy(); console.error(`console e2e FAILED: no end after ${DEADLINE_MS / 1000} s (steps passed: ${steps.length})`); process.exit(1); }, DEADLINE_MS);
function tidy() { if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true }); }
main().then(async () => {
  assertClean('end');
  await browser.close();
  clearTimeout(timer);
  tidy();
  console.log(`console e2e: ${steps.length} steps passed, ${shots} screenshots in ${SHOTS}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}).catch(async (e) => {
  const where = e.step ? e.step + ': ' : '';
  const msg = e.e2e ? e.message : (e.stack || String(e)).split('\n').slice(0, 3).join(' / ');
  if (page) {
    try {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, 'FAILED.png'), fullPage: true });
    } catch (x) { /* no screenshot */ }
  }
  if (browser) await browser.close().catch(() => {});
  tidy();
  console.error(`console e2e FAILED: ${where}${msg}`);
  process.exit(1);
});
