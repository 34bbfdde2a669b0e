// The backup's upload path holds a fixed number of pack buffers whatever the volume size: each
// data pack reaches the store as one body, in one of UPLOADS_IN_FLIGHT buffers reused from pack
// to pack, and a buffer is reused only after the store is done with it. The store here reads
// each body only after a few turns of the event loop (as a network send does) and checks that
// the bytes it was given did not change meanwhile.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOADS_IN_FLIGHT } from '../../../src/defaults.js';
import { DATA_PREFIX } from '../../../src/format/layout.js';
import { Codec, Repository, backupVolume, restoreSnapshot } from '../../../src/index.js';
import type { PutOptions } from '../../../src/store/object-store.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { ForwardingStore } from '../../../src/store/wrap/forwarding.js';
import { tempDir } from '../../helpers/cli.js';
import { Rng } from '../../helpers/random.js';

/** Counts data-pack puts, their bodies' buffers and how many run at once; sends each body late. */
class SlowCountingStore extends ForwardingStore {
  dataPuts = 0;
  inFlight = 0;
  maxInFlight = 0;
  readonly buffers = new Set<ArrayBufferLike>();
  readonly bodyParts: number[] = [];
  readonly changedUnderUs: string[] = [];

  override async put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    if (!key.startsWith(DATA_PREFIX)) return super.put(key, body, options);
    this.dataPuts++;
    this.bodyParts.push(body.length);
    for (const b of body) this.buffers.add(b.buffer);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const digest = hash(body);
      // Let the pipeline run on while this "upload" is on the wire.
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      if (hash(body) !== digest) this.changedUnderUs.push(key);
      return await super.put(key, body, options);
    } finally {
      this.inFlight--;
    }
  }
}

function hash(body: readonly Uint8Array[]): string {
  const h = createHash('sha256');
  for (const b of body) h.update(b);
  return h.digest('hex');
}

describe('backup upload buffers', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('snaptier-upload-buffers-');
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it(`uploads every data pack as one body from at most ${UPLOADS_IN_FLIGHT} reused buffers, never changed during its upload`, async () => {
    const store = new SlowCountingStore(new MemoryStore());
    // 64 KiB packs over 2 MiB of random (incompressible) data: about 32 packs.
    const repo = await Repository.init(store, { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10, packSize: 64 << 10, geometry: { segmentSize: 65536, fanout: 4 } });
    const image = join(dir.path, 'image');
    const data = new Rng(17).bytes(2 << 20);
    await writeFile(image, data);
    await backupVolume(repo, { volume: 'v', source: image });

    expect(store.dataPuts, 'enough packs for the bound to mean something').toBeGreaterThanOrEqual(8 * UPLOADS_IN_FLIGHT);
    expect(store.maxInFlight, 'uploads overlapped, so buffers were in use at once').toBeGreaterThan(1);
    expect(store.maxInFlight).toBeLessThanOrEqual(UPLOADS_IN_FLIGHT);
    expect(store.bodyParts.every((n) => n === 1), `parts per body: ${store.bodyParts.join(',')}`).toBe(true);
    expect(store.buffers.size, 'distinct buffers behind all data-pack bodies').toBeLessThanOrEqual(UPLOADS_IN_FLIGHT);
    expect(store.changedUnderUs).toEqual([]);

    const target = join(dir.path, 'restored');
    await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target });
    expect((await readFile(target)).equals(data)).toBe(true);
  });
  it('closes a data pack before a chunk would take it past the pack size, so no pack outgrows it', async () => {
    const memory = new MemoryStore();
    // 200 KiB packs of ~64 KiB sealed chunks: three fit, a fourth would pass the size.
    const packSize = 200 << 10;
    const repo = await Repository.init(memory, { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10, packSize, geometry: { segmentSize: 65536, fanout: 4 } });
    const image = join(dir.path, 'image-sizes');
    const data = new Rng(18).bytes(2 << 20);
    await writeFile(image, data);
    await backupVolume(repo, { volume: 'v', source: image });
    const sizes = memory
      .keys()
      .filter((k) => k.startsWith(DATA_PREFIX))
      .map((k) => memory.peek(k)!.length);
    expect(sizes.length, 'several packs').toBeGreaterThanOrEqual(8);
    // The pack's own index and header come on top of its chunks: a few hundred bytes.
    for (const n of sizes) expect(n).toBeLessThanOrEqual(packSize + 4096);
    const target = join(dir.path, 'restored-sizes');
    await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target });
    expect((await readFile(target)).equals(data)).toBe(true);
  });
});
