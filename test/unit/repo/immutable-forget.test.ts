// Forget and prune in an immutable repository, in process: what the store still holds immutable
// is kept and reported (not refused half-way), and goes once the store's clock has passed its end.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, Repository, backupVolume, forget, prune } from '../../../src/index.js';
import { snapshotId } from '../../../src/repo/catalog.js';
import { immutableMemoryStore } from '../../../src/store/memory/variants.js';
import { tempDir } from '../../helpers/cli.js';
import { Rng } from '../../helpers/random.js';

const HOUR = 3_600_000;

describe('forget and prune under immutability', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('snaptier-unit-immutable-');
  });
  afterAll(() => dir.cleanup());

  it('keep an immutable snapshot and report it, then remove it once its immutability has ended', async () => {
    let storeNow = Date.now();
    const store = immutableMemoryStore(() => storeNow);
    const repo = await Repository.init(store, {
      password: null,
      compression: Codec.None,
      kdfLog2N: 10,
      immutability: { mode: 'compliance', seconds: 3600, untilMs: 0 },
      geometry: { segmentSize: 65536, fanout: 4 },
    });
    const image = join(dir.path, 'img');
    const rng = new Rng(7);
    const ids: string[] = [];
    for (const day of ['2026-02-01', '2026-02-02']) {
      await writeFile(image, rng.bytes(4 * 65536));
      ids.push(snapshotId((await backupVolume(repo, { volume: 'v', source: image, time: new Date(`${day}T00:00:00Z`) })).manifest));
    }

    const first = await forget(repo, { policy: { last: 1 }, nowMs: storeNow });
    expect(first.remove).toEqual([]);
    expect(first.locked).toMatchObject([{ id: ids[0], volume: 'v' }]);
    expect(first.volumes[0]?.keep.find((k) => k.id === ids[0])?.reasons).toEqual(['lock']);

    storeNow += 2 * HOUR;
    const later = await forget(repo, { policy: { last: 1 }, nowMs: storeNow });
    expect(later.remove).toEqual([ids[0]]);
    expect(later.locked).toEqual([]);
    const p = await prune(repo, { graceMs: 0, nowMs: storeNow });
    expect(p.locked).toEqual([]);
    expect(p.packsDeleted).toBeGreaterThan(0);
  });
});
