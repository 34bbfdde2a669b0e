// The catalog does not grow with history: on a warm machine backup, `restore latest` and the
// listing read no manifest from the store (the local cache holds them, verified on every read);
// on a cold one the reads are bounded and parallel; a damaged old manifest does not stop new
// backups; a damaged cache entry is a miss, never a manifest.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_READS } from '../../../src/defaults.js';
import { Codec, IntegrityError, Repository, backupVolume, forget, listSnapshots, resolveSnapshot, restoreSnapshot } from '../../../src/index.js';
import { ManifestCache, useManifestCache } from '../../../src/repo/manifest-cache.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import type { GetOptions } from '../../../src/store/object-store.js';
import { tempDir } from '../../helpers/cli.js';
import { Rng } from '../../helpers/random.js';

/** A memory store that counts manifest GETs and how many are in flight at once. */
class CountingStore extends MemoryStore {
  manifestGets = 0;
  inFlight = 0;
  maxInFlight = 0;
  override async get(key: string, options?: GetOptions): Promise<Buffer> {
    if (!key.startsWith('snapshots/')) return super.get(key, options);
    this.manifestGets++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      await new Promise((r) => setImmediate(r)); // a turn of the event loop, as any network read takes
      return await super.get(key, options);
    } finally {
      this.inFlight--;
    }
  }
}

describe('catalog with a local manifest cache', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let store: CountingStore;
  let repo: Repository;
  let image: string;
  const SNAPSHOTS = 25;
  const rng = new Rng(91);

  const backup = async (i: number) => {
    const bytes = rng.bytes(8192);
    await writeFile(image, bytes);
    return backupVolume(repo, { volume: 'v', source: image, time: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000) });
  };
  /** Requests (all, and manifest GETs) that `fn` makes. */
  const cost = async (fn: () => Promise<unknown>) => {
    const [all, gets] = [store.requestCount, store.manifestGets];
    await fn();
    return { requests: store.requestCount - all, manifestGets: store.manifestGets - gets };
  };

  beforeAll(async () => {
    dir = await tempDir('snaptier-catalog-');
    image = join(dir.path, 'image');
    store = new CountingStore();
    repo = await Repository.init(store, { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10, geometry: { segmentSize: 65536, fanout: 4 } });
    useManifestCache(repo, new ManifestCache(join(dir.path, 'cache')));
  });
  afterAll(() => dir.cleanup());

  it('a warm backup costs the same whatever the number of snapshots, and reads no manifest', async () => {
    await backup(0);
    const second = await cost(() => backup(1));
    for (let i = 2; i < SNAPSHOTS - 1; i++) await backup(i);
    const last = await cost(() => backup(SNAPSHOTS - 1));
    // The second backup reads one more map node than later ones may; never more with history.
    expect(last.requests).toBeLessThanOrEqual(second.requests);
    expect(last.manifestGets).toBe(0);
  });

  it('a warm `latest` and a warm listing read no manifest from the store', async () => {
    const latest = await cost(() => resolveSnapshot(repo, 'v', 'latest'));
    expect(latest.manifestGets).toBe(0);
    expect(latest.requests).toBe(1); // one listing of the volume's keys, whatever their number
    const target = join(dir.path, 'restored');
    const restore = await cost(() => restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target }));
    expect(restore.manifestGets).toBe(0);
    expect((await listSnapshots(repo, 'v')).length).toBe(SNAPSHOTS);
  });

  it(`a cold machine reads every manifest once, at most ${MANIFEST_READS} at a time, then is warm`, async () => {
    const reopened = await Repository.open(store, async () => 'pw');
    useManifestCache(reopened, new ManifestCache(join(dir.path, 'cold-cache')));
    store.maxInFlight = 0;
    const cold = await cost(() => listSnapshots(reopened, 'v'));
    expect(cold.manifestGets).toBe(SNAPSHOTS);
    expect(store.maxInFlight).toBeGreaterThan(1);
    expect(store.maxInFlight).toBeLessThanOrEqual(MANIFEST_READS);
    expect((await cost(() => listSnapshots(reopened, 'v'))).manifestGets).toBe(0);
  });

  it('a damaged cache entry is read from the store instead, and repaired', async () => {
    const cacheDir = join(dir.path, 'cache', repo.config.repoId.toString('hex'), 'snapshots');
    const [volumeDir] = await readdir(cacheDir);
    const entries = await readdir(join(cacheDir, volumeDir!));
    await writeFile(join(cacheDir, volumeDir!, entries[0]!), Buffer.from('planted'));
    const listing = await cost(() => listSnapshots(repo, 'v'));
    expect(listing.manifestGets).toBe(1);
    expect((await cost(() => listSnapshots(repo, 'v'))).manifestGets).toBe(0);
  });

  it('a damaged old manifest does not stop a new backup; `latest` refuses to guess past it', async () => {
    const before = await listSnapshots(repo, 'v');
    const oldest = before[0]!.key;
    const good = store.peek(oldest)!;
    const bad = Buffer.from(good);
    bad[bad.length - 1]! ^= 1;
    store.poke(oldest, bad);
    const cold = await Repository.open(store, async () => 'pw');
    useManifestCache(cold, null);
    const r = await backup(SNAPSHOTS);
    expect(r.manifest.parent?.equals(before.at(-1)!.manifest.id) ?? false).toBe(true);
    const damaged: string[] = [];
    const listed = await listSnapshots(cold, 'v', { onDamaged: (key) => damaged.push(key) });
    expect(damaged).toEqual([oldest]);
    expect(listed.length).toBe(SNAPSHOTS); // all + the new one - the damaged one
    await expect(resolveSnapshot(cold, 'v', 'latest')).rejects.toBeInstanceOf(IntegrityError);
    store.poke(oldest, good);
  });

  it('the listing stays the truth: forgotten snapshots leave the cache', async () => {
    const f = await forget(repo, { volume: 'v', policy: { last: 5 }, nowMs: Date.UTC(2026, 6, 1) });
    expect(f.remove.length).toBeGreaterThan(0);
    expect((await listSnapshots(repo, 'v')).length).toBe(5);
    const cacheDir = join(dir.path, 'cache', repo.config.repoId.toString('hex'), 'snapshots');
    const [volumeDir] = await readdir(cacheDir);
    expect((await readdir(join(cacheDir, volumeDir!))).length).toBe(5);
  });
});
