// The engine and repository through the library API on the memory store, no CLI: random chains
// restore bit-exact, a restore proves every byte against the snapshot's fingerprints (a blob
// re-sealed with other bytes passes every seal and is still caught), and prune keeps what a
// running backup may name.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, IntegrityError, Repository, acquireLease, backupVolume, checkRepository, forget, listSnapshots, prune, restoreSnapshot } from '../../../src/index.js';
import { parsePackKey } from '../../../src/format/layout.js';
import { readTrailer } from '../../../src/format/pack.js';
import { BlobKind } from '../../../src/format/seal.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { runChain } from '../../engine/engine-suite.js';
import { tempDir } from '../../helpers/cli.js';
import { Rng } from '../../helpers/random.js';

const KiB = 1024;

describe('library on the memory store', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('snaptier-unit-');
  });
  afterAll(() => dir.cleanup());

  it.each([
    { seed: 81, size: 700 * KiB + 17, steps: 8, encrypted: true, compression: Codec.Zstd, geometry: { segmentSize: 65536, fanout: 4 } },
    { seed: 82, size: 500 * KiB + 3, steps: 8, encrypted: false, compression: Codec.Lz4, geometry: { segmentSize: 32768, fanout: 3 } },
  ])('restores every point in time of a random chain bit-exact (seed $seed)', async (spec) => {
    await runChain(new MemoryStore(), join(dir.path, `chain-${spec.seed}`), spec);
  });

  it.each([true, false])('refuses to restore bytes that a valid seal carries but the fingerprints deny (encrypted %s)', async (encrypted) => {
    const store = new MemoryStore();
    const repo = await Repository.init(store, { password: encrypted ? 'pw' : null, compression: Codec.None, kdfLog2N: 10, geometry: { segmentSize: 65536, fanout: 4 } });
    const image = join(dir.path, `forged-${encrypted}`);
    const content = new Rng(83).bytes(4 * 65536);
    await writeFile(image, content);
    await backupVolume(repo, { volume: 'v', source: image });
    // Re-seal one data blob, same kind, id and length, with other bytes: only the fingerprint
    // compare of restore can tell (the seal is valid, as a buggy writer's would be).
    const packKey = store.keys().find((k) => k.startsWith('data/'))!;
    const pack = store.peek(packKey)!;
    const id = parsePackKey(packKey)!.pack;
    const entry = readTrailer(pack, id, repo.sealer).entries[0]!;
    const plain = repo.sealer.open(BlobKind.Data, entry.id, pack.subarray(entry.offset, entry.offset + entry.length), entry.rawLength);
    const forged = Buffer.from(plain);
    forged[forged.length >> 1]! ^= 0xff;
    const resealed = Buffer.concat(repo.sealer.seal(BlobKind.Data, entry.id, forged, Codec.None));
    expect(resealed.length).toBe(entry.length);
    const bad = Buffer.from(pack);
    resealed.copy(bad, entry.offset);
    store.poke(packKey, bad);

    const target = join(dir.path, `forged-restore-${encrypted}`);
    await expect(restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target })).rejects.toBeInstanceOf(IntegrityError);
    const written = await readFile(target).catch(() => Buffer.alloc(0));
    expect(written.includes(forged.subarray(0, 64)), 'the forged bytes were written to the target').toBe(false);
  });

  it('prune keeps the packs a running backup may name, and deletes them once it has ended', async () => {
    const store = new MemoryStore();
    const repo = await Repository.init(store, { password: null, compression: Codec.Lz4, kdfLog2N: 10, packSize: 64 * KiB });
    const image = join(dir.path, 'prune-running');
    const rng = new Rng(84);
    for (let i = 0; i < 3; i++) {
      await writeFile(image, rng.bytes(256 * KiB));
      await backupVolume(repo, { volume: 'v', source: image });
    }
    expect(await listSnapshots(repo, 'v')).toHaveLength(3);
    // A backup starts (its lock says since when); then forget removes two snapshots and releases their packs.
    const lock = await acquireLease(repo, { operation: 'backup', kind: 'shared', volume: 'v', refreshMs: 0 });
    const NOW = Date.now() + 1; // forget and prune run after the backup started
    await forget(repo, { volume: 'v', policy: { last: 1 }, nowMs: NOW });
    const beforeKeys = store.keys();
    const held = await prune(repo, { graceMs: 0, nowMs: NOW });
    expect(held.packsDeleted).toBe(0);
    expect(held.packsDeferred).toBeGreaterThan(0);
    for (const k of beforeKeys.filter((k) => k.startsWith('data/'))) expect(store.keys()).toContain(k);
    await lock.release();
    const after = await prune(repo, { graceMs: 0, nowMs: NOW });
    expect(after.packsDeleted).toBeGreaterThan(0);
    expect((await checkRepository(repo, { readData: true })).errors).toEqual([]);
  });
});
