#!/usr/bin/env node
// Liaison side by side with PouchDB 9 replicating to pouchdb-server (LevelDB on disk), on the same
// realistic visits, pairs run alternately in one run (docs/performance.md, "Against PouchDB").
// Not part of the test suite. Usage (README.md beside this file):
//   node peer.js --build DIR [--rounds 3] [--visits 10000] [--saves 1000] [--work DIR] [--only liaison|pouchdb]
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const http = require('http');

const args = { build: null, rounds: 3, visits: 10000, saves: 1000, work: '/tmp/liaison-peer-bench', only: '' };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in args)) throw new Error('unknown option ' + process.argv[i]);
  args[k] = typeof args[k] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
if (!args.build) throw new Error('--build DIR (the CMake build directory with liaison, liaison-central, bench_store)');
args.build = path.resolve(args.build);
const bin = (name) => [path.join(args.build, 'client', name), path.join(args.build, 'sync', 'server', name),
  path.join(args.build, name), path.join(args.build, 'tests', 'bench', name)].find((p) => fs.existsSync(p));
for (const b of args.only === 'pouchdb' ? [] : ['liaison', 'liaison-central', 'bench_store'])
  if (!bin(b)) throw new Error('no ' + b + ' under ' + args.build);

// ---------------------------------------------------------------- the visits

const DEPUTIES = ['陈明', '刘洋', '赵丽华', '孙强', '周敏', '吴建国'];
const CATEGORIES = ['城乡建设', '教育', '医疗卫生', '养老社保', '交通出行', '生态环保'];
let seed = 12345;
const next = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed >>> 8; };
const hanzi = (n) => { let s = ''; for (let k = 0; k < n; k++) s += String.fromCodePoint(0x4e00 + next() % 0x1500); return s; };
const pad = (n) => String(n).padStart(2, '0');

function makeVisits(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const deputies = [DEPUTIES[next() % DEPUTIES.length]];
    if (next() % 2 === 0) deputies.push(DEPUTIES[next() % DEPUTIES.length]);
    out.push({
      received_at: `2025-${pad(1 + i % 12)}-${pad(1 + i % 28)} ${pad(8 + i % 10)}:${pad(i % 60)}`,
      visitor: hanzi(2 + next() % 2), phone: '1380013' + (1000 + next() % 9000), people: 1 + next() % 3,
      category: CATEGORIES[next() % CATEGORIES.length], subject: hanzi(20), content: hanzi(100), deputies,
    });
  }
  return out;
}

function writeCsv(visits, file) {
  const lines = ['时间,来访人,电话,人数,类别,主题,诉求,接待代表'];
  for (const v of visits)
    lines.push([v.received_at, v.visitor, v.phone, v.people, v.category, v.subject, v.content, v.deputies.join('、')].join(','));
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

// The document a PouchDB app would keep for a visit: the same fields, one document.
let docSeq = 0;
function visitDoc(v) {
  return {
    _id: 'visit:' + (docSeq++).toString(36).padStart(8, '0') + ':' + Math.random().toString(36).slice(2, 10),
    type: 'visit', station_id: 'station-1', channel: 'station', created_at: v.received_at,
    received_at: v.received_at, people: v.people, category: v.category, subject: v.subject, content: v.content,
    deputy_ids: v.deputies, visitors: [{ name: v.visitor, phone: v.phone }],
  };
}

// ---------------------------------------------------------------- helpers

const now = () => Number(process.hrtime.bigint()) / 1e9;
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
function duBytes(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((sum, f) => sum + duBytes(path.join(p, f)), 0);
}
function fresh(dir) { fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir, { recursive: true }); return dir; }

// Starts a server process and resolves with its URL once `ready` matches a line it printed.
function startServer(cmd, argv, ready, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const onData = (d) => {
      text += d.toString();
      const m = text.match(ready);
      if (m) { child.stdout.off('data', onData); resolve({ child, url: m[1] }); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(cmd + ' exited ' + code + ': ' + text)));
  });
}
function stopServer(s) { return new Promise((resolve) => { s.child.removeAllListeners('exit'); s.child.on('exit', resolve); s.child.kill('SIGTERM'); }); }

// ---------------------------------------------------------------- PouchDB

async function pouchRound(visits, dir) {
  const PouchDB = require('pouchdb');
  fresh(dir);
  const serverDir = fresh(path.join(dir, 'server'));
  const port = 15984 + Math.floor(Math.random() * 1000);
  const server = await startServer(path.join(__dirname, 'node_modules', '.bin', 'pouchdb-server'),
    ['--port', String(port), '--dir', serverDir, '--no-color'], /started on (http:\/\/\S+?)\/?\s/, dir);
  const remote = `http://127.0.0.1:${port}/visits`;
  await new Promise((resolve, reject) => http.request(remote, { method: 'PUT' }, (r) => { r.resume(); r.on('end', resolve); }).on('error', reject).end());
  const r = {};
  try {
    const a = new PouchDB(path.join(dir, 'tablet-a'));
    const docs = visits.map(visitDoc);
    let t = now();
    await a.bulkDocs(docs);
    r.import_s = now() - t;
    t = now();
    await a.replicate.to(remote);
    r.up_s = now() - t;
    const b = new PouchDB(path.join(dir, 'tablet-b'));
    t = now();
    await b.replicate.from(remote);
    r.down_s = now() - t;
    r.tablet_bytes = duBytes(path.join(dir, 'tablet-b'));
    r.server_bytes = duBytes(serverDir);
    const c = new PouchDB(path.join(dir, 'tablet-c'));
    const lat = [];
    for (const v of makeVisits(args.saves)) {
      const t0 = now();
      await c.put(visitDoc(v));
      lat.push((now() - t0) * 1000);
    }
    r.save_p50_ms = pct(lat, 0.5);
    r.save_p99_ms = pct(lat, 0.99);
    await Promise.all([a.close(), b.close(), c.close()]);
  } finally {
    await stopServer(server);
  }
  return r;
}

// ---------------------------------------------------------------- Liaison

const USER = '王芳', PIN = '582913';
// Slots made with cheap Argon2id parameters: the timed verbs do not include a sign-in's 0.3-0.5 s.
const liaisonEnv = { LIAISON_TEST_FAST_KDF: '1', LIAISON_USER: USER, LIAISON_PIN: PIN };

function run(cmd, argv, input) {
  const r = spawnSync(cmd, argv, { env: { ...process.env, ...liaisonEnv }, input: input || '', encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${argv.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout.trim().split('\n').pop();
}
function timed(cmd, argv) { const t = now(); run(cmd, argv); return now() - t; }

async function liaisonRound(visits, dir) {
  fresh(dir);
  const central = bin('liaison-central'), liaison = bin('liaison');
  const db = path.join(dir, 'central.db');
  const station = run(central, ['--db', db, 'station', 'add', '东湖街道代表联络站']);
  const server = await startServer(central, ['--db', db, '--listen', '127.0.0.1:0'], /listening on (\S+)/, dir);
  const url = 'http://' + server.url;
  const r = {};
  try {
    const enrol = (tablet) => run(liaison, ['--data', tablet, 'enrol', '--server', url, '--code',
      run(central, ['--db', db, 'enrol-code', station]), '--admin', USER, '--pin-stdin'], PIN + '\n');
    const a = path.join(dir, 'tablet-a'), b = path.join(dir, 'tablet-b');
    enrol(a);
    for (const d of DEPUTIES) run(liaison, ['--data', a, 'deputy', 'add', '--name', d]);
    const csv = path.join(dir, 'visits.csv');
    writeCsv(visits, csv);
    r.import_s = timed(liaison, ['--data', a, 'visit', 'import', csv]);
    r.up_s = timed(liaison, ['--data', a, 'sync']);
    enrol(b);
    r.down_s = timed(liaison, ['--data', b, 'sync']);
    r.tablet_bytes = ['liaison.db', 'liaison.db-wal'].reduce((s, f) => s + duBytes(path.join(b, f)), 0);
    r.server_bytes = ['central.db', 'central.db-wal'].reduce((s, f) => s + duBytes(path.join(dir, f)), 0);
  } finally {
    await stopServer(server);
  }
  // A save in process (bench_store: one visit and its visitor per transaction, synchronous=NORMAL).
  const out = spawnSync(bin('bench_store'), ['--saves', String(args.saves), '--visits', '1000', '--dir',
    path.join(dir, 'saves'), '--modes', 'normal'], { encoding: 'utf8' }).stdout;
  const m = out.match(/synchronous=NORMAL \(\d+\): p50 ([\d.]+) ms\s+p99 ([\d.]+) ms/);
  if (!m) throw new Error('bench_store printed no save line:\n' + out);
  r.save_p50_ms = Number(m[1]);
  r.save_p99_ms = Number(m[2]);
  return r;
}

// ---------------------------------------------------------------- the run

const ROWS = [
  ['import_s', `bulk import of ${args.visits} visits (s)`],
  ['up_s', `${args.visits} visits up (s)`],
  ['down_s', `${args.visits} visits down to a fresh tablet (s)`],
  ['save_p50_ms', 'local save of one visit, p50 (ms)'],
  ['save_p99_ms', 'local save of one visit, p99 (ms)'],
  ['server_bytes', `server disk per ${args.visits} visits (MB)`],
  ['tablet_bytes', `tablet disk per ${args.visits} visits (MB)`],
];

async function main() {
  const visits = makeVisits(args.visits);
  const results = { liaison: [], pouchdb: [] };
  for (let round = 0; round < args.rounds; round++) {
    // Alternate which goes first, so neither always meets a warm or a cold disk cache.
    const order = round % 2 === 0 ? ['liaison', 'pouchdb'] : ['pouchdb', 'liaison'];
    for (const who of order.filter((w) => !args.only || w === args.only)) {
      const dir = path.join(args.work, who);
      const r = who === 'liaison' ? await liaisonRound(visits, dir) : await pouchRound(visits, dir);
      results[who].push(r);
      console.error(`round ${round + 1} ${who}: ${JSON.stringify(r)}`);
    }
  }
  fs.rmSync(args.work, { recursive: true, force: true });
  const fmt = (k, x) => (k.endsWith('_bytes') ? (x / 1e6).toFixed(1) : k.endsWith('_ms') ? x.toFixed(3) : x.toFixed(2));
  const mmm = (k, xs) => { const s = xs.map((r) => r[k]).sort((a, b) => a - b); return [s[0], pct(s, 0.5), s[s.length - 1]]; };
  console.log(`Liaison vs PouchDB ${require('pouchdb/package.json').version} + pouchdb-server ` +
    `${require('pouchdb-server/package.json').version}, ${args.visits} visits, ${args.rounds} rounds (min / median / max)`);
  console.log('| workload | Liaison | PouchDB | Liaison ÷ PouchDB (medians) |');
  console.log('|---|---|---|---|');
  for (const [k, label] of ROWS) {
    const l = mmm(k, results.liaison), p = mmm(k, results.pouchdb);
    const cell = (m) => (m.some((x) => x === undefined) ? '-' : m.map((x) => fmt(k, x)).join(' / '));
    console.log(`| ${label} | ${cell(l)} | ${cell(p)} | ${(l[1] / p[1]).toFixed(2)} |`);
  }
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
