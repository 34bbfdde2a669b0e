#!/usr/bin/env node
// Writes the format-compatibility fixtures under test/fixtures/: small repositories made by the
// format of this version, kept in the repository for ever, and fixtures.json with the SHA-256 of
// every snapshot's image. test/unit/format/fixtures.test.ts restores each snapshot and runs check.
// Run once per format version (after `npm run build`); never re-run over an existing version's
// fixtures: their point is that they were written by the code of their time (docs/format.md).
//
//   node scripts/make-fixtures.mjs [format-tag]      (default: the current format, v1)
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Codec, LocalStore, Repository, backupVolume, checkRepository, copySnapshots, forget, listSnapshots, prune, snapshotId } from '../dist/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const TAG = process.argv[2] ?? 'v1';
const OUT = join(ROOT, 'test', 'fixtures', TAG);
const KiB = 1024;
/** Small segments: a few dozen objects a repository, a few hundred KiB in all. */
const GEOMETRY = { segmentSize: 16 * KiB, fanout: 4 };
const PACK_SIZE = 1024 * KiB; // the smallest a repository config accepts; packs close at the end of each backup
const T0 = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;

/** A seeded byte source (xorshift), so the images are the same on every run. */
function bytes(seed, n, compressible) {
  let x = seed >>> 0 || 1;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    // Compressible images hold runs of 128 equal bytes, so zstd and lz4 have something to do.
    if (!compressible || i % 128 === 0) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
    }
    out[i] = x & 0xff;
  }
  return out;
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/** Backs up each image in turn as a snapshot of `volume`; returns what each must restore to. */
async function chain(repo, work, volume, images, dayOffset) {
  const taken = [];
  const path = join(work, `${volume}.img`);
  for (const [i, image] of images.entries()) {
    await writeFile(path, image);
    const r = await backupVolume(repo, { volume, source: path, time: new Date(T0 + (dayOffset + i) * DAY), labels: { fixture: `${volume}-${i}` } });
    taken.push({ volume, id: snapshotId(r.manifest), size: image.length, sha256: sha256(image) });
  }
  return taken;
}

/** Images of a volume that changes a little each time, grows once and shrinks once. */
function evolving(seed, size, steps, compressible) {
  const images = [bytes(seed, size, compressible)];
  for (let s = 1; s < steps; s++) {
    const prev = images[s - 1];
    const next = Buffer.from(prev);
    bytes(seed + s, 5 * KiB, false).copy(next, (s * 23 * KiB) % (size - 5 * KiB));
    if (s === 2) images.push(Buffer.concat([next, bytes(seed + 100, 17 * KiB + 5, compressible)]));
    else if (s === 3) images.push(next.subarray(0, next.length - 9 * KiB - 1));
    else images.push(next);
  }
  return images;
}

async function main() {
  if (existsSync(OUT)) throw new Error(`${OUT} exists: fixtures of a released format are never rewritten`);
  const work = await mkdtemp(join(tmpdir(), 'snaptier-fixtures-'));
  const manifest = { format: TAG, madeBy: JSON.parse(await (await import('node:fs/promises')).readFile(join(ROOT, 'package.json'), 'utf8')).version, repositories: [] };
  try {
    // 1. Encrypted, zstd: two volumes, a forget and a prune that repacks (forwarding records).
    const encDir = join(OUT, 'encrypted-zstd');
    const enc = await Repository.init(new LocalStore(encDir), { password: 'fixture', compression: Codec.Zstd, kdfLog2N: 10, packSize: PACK_SIZE, geometry: GEOMETRY });
    let db = await chain(enc, work, 'db01', evolving(11, 112 * KiB, 5, true), 0);
    const web = await chain(enc, work, 'web', evolving(12, 40 * KiB + 123, 3, false), 10);
    // Forget the two oldest of db01; prune with a high threshold so that packs are rewritten.
    const f = await forget(enc, { volume: 'db01', policy: { last: 3 }, nowMs: T0 + 20 * DAY });
    db = db.filter((s) => !f.remove.includes(s.id));
    const pr = await prune(enc, { graceMs: 0, nowMs: T0 + 20 * DAY, repackBelow: 0.95 });
    if (pr.packsRepacked === 0) throw new Error('the prune repacked nothing: the fixture would not hold forwarding records');
    db.push(...(await chain(enc, work, 'db01', evolving(13, 112 * KiB, 2, true), 30)));
    manifest.repositories.push({ dir: 'encrypted-zstd', password: 'fixture', snapshots: [...db, ...web], prune: { packsRepacked: pr.packsRepacked, packsDeleted: pr.packsDeleted } });

    // 2. Plain, lz4: its own snapshots and a snapshot copied from the encrypted repository.
    const plainDir = join(OUT, 'plain-lz4');
    const plain = await Repository.init(new LocalStore(plainDir), { password: null, compression: Codec.Lz4, kdfLog2N: 10, packSize: PACK_SIZE, geometry: GEOMETRY });
    const own = await chain(plain, work, 'vm1', evolving(21, 96 * KiB + 7, 4, true), 40);
    const copied = await copySnapshots(enc, plain, { volume: 'web' });
    const copies = copied.copied.map((c) => {
      const from = web.find((w) => w.id === snapshotId(c.source));
      return { volume: 'web', id: snapshotId(c.copy), size: from.size, sha256: from.sha256, copyOf: from.id };
    });
    if (copies.length === 0) throw new Error('nothing was copied');
    manifest.repositories.push({ dir: 'plain-lz4', password: null, snapshots: [...own, ...copies] });

    // Each must list exactly what fixtures.json says, and check clean, before it is kept.
    for (const [repo, entry] of [[enc, manifest.repositories[0]], [plain, manifest.repositories[1]]]) {
      const listed = (await listSnapshots(repo)).map((s) => snapshotId(s.manifest)).sort();
      const want = entry.snapshots.map((s) => s.id).sort();
      if (JSON.stringify(listed) !== JSON.stringify(want)) throw new Error(`${entry.dir}: lists ${listed} but fixtures.json says ${want}`);
      const check = await checkRepository(repo, { readData: true });
      if (check.errors.length) throw new Error(`${entry.dir}: check failed: ${check.errors.join('; ')}`);
    }
    await writeFile(join(OUT, 'fixtures.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`wrote ${OUT}`);
  } catch (err) {
    await rm(OUT, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
