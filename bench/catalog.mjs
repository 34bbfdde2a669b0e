// The catalog scale row: one volume with many snapshots (10,000 by default), and what backup,
// `restore latest` and `snapshots` cost in store requests and time, warm (the manifest cache
// holds them) and cold (an empty cache). Library API on a local directory store behind a
// wrapper that counts requests and adds a fixed latency to each, standing in for an object
// store's round trip. The history is made by one real backup and its manifest committed again
// under new ids and earlier times (same map, so every snapshot is valid and restorable).
//
//   npm run build && node bench/catalog.mjs [--snapshots N] [--latency-ms MS] [--json FILE]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Codec, LocalStore, Repository, backupVolume, listSnapshots, restoreSnapshot } from '../dist/index.js';
import { commitManifest } from '../dist/repo/catalog.js';
import { ManifestCache, useManifestCache } from '../dist/repo/manifest-cache.js';
import { ForwardingStore } from '../dist/store/wrap/forwarding.js';

const { values: opts } = parseArgs({
  options: { snapshots: { type: 'string', default: '10000' }, 'latency-ms': { type: 'string', default: '5' }, json: { type: 'string' } },
});
const N = Number(opts.snapshots);
const LATENCY = Number(opts['latency-ms']);
const log = (m) => process.stderr.write(`${m}\n`);

/** Counts requests and waits LATENCY ms before each, as a round trip to a remote store would. */
class RemoteLike extends ForwardingStore {
  requests = 0;
  async delay() {
    this.requests++;
    if (LATENCY > 0) await new Promise((r) => setTimeout(r, LATENCY));
  }
  async put(k, b, o) { await this.delay(); return super.put(k, b, o); }
  async get(k, o) { await this.delay(); return super.get(k, o); }
  async head(k) { await this.delay(); return super.head(k); }
  async delete(k) { await this.delay(); return super.delete(k); }
  async *list(p, s) {
    // One request a page of 1000 keys, as S3 and Azure list.
    let n = 0;
    for await (const o of super.list(p, s)) {
      if (n++ % 1000 === 0) await this.delay();
      yield o;
    }
  }
}

const work = mkdtempSync(join(tmpdir(), 'snaptier-catalog-bench-'));
try {
  const root = join(work, 'repo');
  const image = join(work, 'image');
  const raw = new LocalStore(root);
  const setup = await Repository.init(raw, { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10 });
  useManifestCache(setup, null);
  writeFileSync(image, randomBytes(1 << 20));
  const first = await backupVolume(setup, { volume: 'v', source: image, time: new Date(Date.UTC(2026, 0, 1)) });
  log(`writing ${N - 1} more manifests of volume v...`);
  const t0 = performance.now();
  const HOUR = 3_600_000;
  for (let i = 1; i < N; i++) {
    // Earlier than the real one, an hour apart: the real backup stays the latest.
    await commitManifest(setup, { ...first.manifest, id: randomBytes(16), timeMs: first.manifest.timeMs - i * HOUR });
  }
  log(`  ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const rows = [];
  const measure = async (what, state, cacheDir, fn) => {
    const store = new RemoteLike(raw);
    const repo = await Repository.open(store, async () => 'pw');
    useManifestCache(repo, new ManifestCache(cacheDir));
    const before = store.requests;
    const t = performance.now();
    await fn(repo);
    const row = { operation: what, cache: state, snapshots: N, requests: store.requests - before, seconds: Number(((performance.now() - t) / 1000).toFixed(2)) };
    rows.push(row);
    log(`${what} (${state}): ${row.requests} requests, ${row.seconds} s`);
  };
  let fresh = 0;
  const coldDir = () => join(work, `cache-cold-${fresh++}`);
  const warm = join(work, 'cache-warm');
  let version = 0;
  const backup = async (repo) => {
    writeFileSync(image, randomBytes(1 << 20));
    await backupVolume(repo, { volume: 'v', source: image, time: new Date(Date.UTC(2026, 0, 2) + version++ * HOUR) });
  };
  const restore = (repo) => restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target: join(work, 'restored') });
  const list = (repo) => listSnapshots(repo, 'v');
  for (const [what, fn] of [['snapshots', list], ['restore latest', restore], ['backup', backup]]) {
    await measure(what, 'cold', coldDir(), fn);
  }
  await measure('snapshots', 'cold', warm, list); // fills the warm cache
  rows.pop();
  for (const [what, fn] of [['snapshots', list], ['restore latest', restore], ['backup', backup]]) await measure(what, 'warm', warm, fn);

  process.stdout.write(`\n| operation | cache | snapshots | requests | time (s) |\n| --- | --- | --- | --- | --- |\n`);
  for (const r of rows) process.stdout.write(`| ${r.operation} | ${r.cache} | ${r.snapshots} | ${r.requests} | ${r.seconds} |\n`);
  process.stdout.write(`\nEach request waited ${LATENCY} ms (a stand-in for an object store's round trip); a listing costs one request a page of 1000 keys.\n`);
  if (opts.json) writeFileSync(resolve(opts.json), `${JSON.stringify({ latencyMs: LATENCY, rows }, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
