// Fragmented segments are stored whole (REWRITE_AT_CHUNKS): a long chain of scattered writes
// leaves no segment referencing more than `rewriteAt` chunks, whichever way the backup finds
// changes; snapshots restore bit-exact (every one of a chain, the oldest too), holes stay
// holes, and with `rewriteAt: 0` nothing is rewritten. Also how one backup's runs of a segment
// become one chunk.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, LocalStore, Repository, backupVolume, restoreSnapshot } from '../../src/index.js';
import { NodeReader } from '../../src/engine/node-store.js';
import { gather } from '../../src/engine/segment-change.js';
import { walkLeaves } from '../../src/engine/tree-walk.js';
import type { Manifest, MapLeaf } from '../../src/format/types.js';
import { tempDir } from '../helpers/cli.js';
import { Rng } from '../helpers/random.js';

const MiB = 1024 * 1024;
const BLOCK = 4096;
let dir: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir('snaptier-rewrite-');
});
afterAll(async () => dir?.cleanup());

async function leaves(repo: Repository, m: Manifest): Promise<Map<number, MapLeaf>> {
  const out = new Map<number, MapLeaf>();
  for await (const v of walkLeaves(new NodeReader(repo), repo.geometry, m.root, m.rootLevel)) out.set(v.index, v.leaf);
  return out;
}

const chunksOf = (leaf: MapLeaf | undefined) => new Set(leaf?.extents.map((e) => e.chunk.id.toString('hex')) ?? []).size;

type Mode = 'previous-source' | 'changed-extents' | 'fingerprints';

/**
 * 4 MiB: random data, with segment 3 all zeros. Each step rewrites 3 blocks of segment 1, writes
 * 2 blocks into segment 3 and 1 into segment 0, and backs up with `rewriteAt`.
 */
async function chain(name: string, mode: Mode, rewriteAt: number, steps: number, restoreAll = false) {
  const repo = await Repository.init(new LocalStore(join(dir.path, name)), { password: null, compression: Codec.Zstd });
  const rng = new Rng(rewriteAt * 7 + steps);
  const image = join(dir.path, `${name}.img`);
  const prev = join(dir.path, `${name}.prev`);
  const data = Buffer.from(rng.bytes(4 * MiB));
  data.fill(0, 3 * MiB);
  await writeFile(image, data);
  const first = await backupVolume(repo, { volume: 'v', source: image, rewriteAt });
  const shots = [{ manifest: first.manifest, bytes: Buffer.from(data) }];
  const seg3Blocks = new Set<number>();
  let rewritten = 0;
  let mostChunks = 0;
  let before = await leaves(repo, first.manifest);
  for (let i = 0; i < steps; i++) {
    await copyFile(image, prev);
    const blocks = new Set<number>();
    while (blocks.size < 3) blocks.add(256 + rng.int(256));
    const zeros = [768 + rng.int(256), 768 + rng.int(256)];
    for (const b of zeros) seg3Blocks.add(b);
    const all = [...blocks, ...zeros, rng.int(256)];
    for (const b of all) Buffer.from(rng.bytes(BLOCK)).copy(data, b * BLOCK);
    await writeFile(image, data);
    const hint =
      mode === 'previous-source'
        ? { previousSource: prev }
        : mode === 'changed-extents'
          ? { changedExtents: all.map((b) => ({ offset: b * BLOCK, length: BLOCK })) }
          : {};
    const r = await backupVolume(repo, { volume: 'v', source: image, rewriteAt, ...hint });
    shots.push({ manifest: r.manifest, bytes: Buffer.from(data) });
    rewritten += r.segmentsRewritten;
    const map = await leaves(repo, r.manifest);
    mostChunks = Math.max(mostChunks, ...[...map.values()].map(chunksOf));
    // Segments 0, 1 and 3 change at every step: those the parent mapped with rewriteAt chunks
    // or more are now one chunk (the step's writes went into the rewrite too), and only they
    // were rewritten.
    const due = [0, 1, 3].filter((seg) => rewriteAt > 0 && chunksOf(before.get(seg)) >= rewriteAt);
    for (const seg of due) expect(chunksOf(map.get(seg)), `step ${i}: segment ${seg} rewritten`).toBe(1);
    expect(r.segmentsRewritten).toBe(due.length);
    before = map;
  }
  // Holes stay holes: segment 3 maps only the blocks written into it, however it was stored.
  const last = await leaves(repo, shots[shots.length - 1]!.manifest);
  const mapped3 = last.get(3)!.extents.reduce((n, e) => n + e.length, 0);
  expect(mapped3).toBe(seg3Blocks.size * BLOCK);
  // Every snapshot of the chain restores bit-exact, the oldest ones too (they keep the old
  // chunks); in the other runs, the last two.
  for (const [k, s] of shots.entries()) {
    if (!restoreAll && k < shots.length - 2) continue;
    const target = join(dir.path, `${name}-restore-${k}`);
    await restoreSnapshot(repo, { volume: 'v', snapshot: s.manifest.id.toString('hex'), target });
    expect((await readFile(target)).equals(s.bytes), `${name}: snapshot ${k} restores bit-exact`).toBe(true);
  }
  return { rewritten, mostChunks };
}

describe('fragmented segments are stored whole', () => {
  for (const mode of ['previous-source', 'changed-extents', 'fingerprints'] as const) {
    it(`keeps every segment under rewriteAt chunks with ${mode}, and restores bit-exact`, async () => {
      const r = await chain(`m-${mode}`, mode, 4, 9, mode === 'previous-source');
      expect(r.rewritten).toBeGreaterThan(0);
      // A segment referencing 4 chunks is rewritten at its next change; each backup adds at most
      // one chunk to a segment (all its runs in one chunk), so none ever references more than 4.
      expect(r.mostChunks).toBeLessThanOrEqual(4);
      expect(r.mostChunks).toBeGreaterThanOrEqual(3);
    });
  }

  it('with rewriteAt 0 never rewrites, and segments keep gaining chunks', async () => {
    const r = await chain('off', 'previous-source', 0, 9);
    expect(r.rewritten).toBe(0);
    expect(r.mostChunks).toBeGreaterThan(6);
  });
});

describe('one backup of a segment stores its runs as one chunk', () => {
  it('packs runs back to back, up to the largest chunk, cutting a run that passes it', () => {
    const data = Buffer.from(new Rng(3).bytes(64));
    const runs = [
      { start: 0, length: 8 },
      { start: 16, length: 8 },
      { start: 32, length: 20 },
    ];
    const out = gather(runs, data, 24);
    expect(out.map((w) => w.runs)).toEqual([
      [
        { start: 0, length: 8 },
        { start: 16, length: 8 },
        { start: 32, length: 8 },
      ],
      [{ start: 40, length: 12 }],
    ]);
    expect(out[0]!.data.equals(Buffer.concat([data.subarray(0, 8), data.subarray(16, 24), data.subarray(32, 40)]))).toBe(true);
    // A chunk of one run is the run's bytes, not a copy.
    expect(out[1]!.data.buffer).toBe(data.buffer);
    expect(out[1]!.data.equals(data.subarray(40, 52))).toBe(true);
    expect(gather([], data, 24)).toEqual([]);
  });
});
