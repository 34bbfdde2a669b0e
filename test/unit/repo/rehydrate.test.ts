// The rehydrator and the estimates in process: a store double that thaws objects by a fake clock,
// so the backoff, the no-second-request rule and re-requests after an expiry are seen exactly;
// the thaw price arithmetic; the model year; a price file that replaces the table.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { DEFAULT_PRICES, loadPrices } from '../../../src/repo/archive-prices.js';
import { estimateArchive } from '../../../src/repo/archive-estimate.js';
import { estimateThaw, type PlannedPack } from '../../../src/repo/rehydrate-plan.js';
import { type Clock, rehydrate } from '../../../src/repo/rehydrate.js';
import type { ObjectInfo, ObjectStore, RestoreObjectOptions, RestoreRequestOutcome } from '../../../src/store/object-store.js';
import { tempDir } from '../../helpers/cli.js';

const GiB = 1024 ** 3;

/**
 * Objects in GLACIER that thaw `thawMs` after their restore request; the copy of a key's first
 * restore stays readable `firstKeepMs`, later ones for good.
 */
function thawingStore(clock: { now: number }, thawMs: number, firstKeepMs = Number.POSITIVE_INFINITY) {
  const restores = new Map<string, number>(); // key -> requested at
  const requests: string[] = [];
  const state = (key: string) => {
    const at = restores.get(key);
    if (at === undefined) return { cold: true, restoring: false };
    if (clock.now < at + thawMs) return { cold: true, restoring: true };
    const keep = requests.filter((k) => k === key).length > 1 ? Number.POSITIVE_INFINITY : firstKeepMs;
    if (clock.now < at + thawMs + keep) return { cold: false, restoring: false };
    restores.delete(key); // the restored copy expired
    return { cold: true, restoring: false };
  };
  const store: Pick<ObjectStore, 'description' | 'capabilities' | 'head' | 'requestRestore'> = {
    description: 'thawing double',
    capabilities: { atomicCreate: true, tiers: ['STANDARD', 'GLACIER'], archiveTiers: ['GLACIER'] },
    async head(key: string): Promise<ObjectInfo> {
      return { key, size: 1, archive: { tier: 'GLACIER', ...state(key) } };
    },
    async requestRestore(key: string, _o: RestoreObjectOptions): Promise<RestoreRequestOutcome> {
      requests.push(key);
      const s = state(key);
      if (s.restoring) return 'in-progress';
      if (!s.cold) return 'restored';
      restores.set(key, clock.now);
      return 'requested';
    },
  };
  return { store: store as ObjectStore, requests, restores };
}

const pack = (key: string, restoring = false): PlannedPack => ({ key, size: GiB, tier: 'GLACIER', cold: true, restoring });

describe('rehydrate', () => {
  it('requests each pack with no restore running once, waits with a doubling interval up to the cap, and ends when all are readable', async () => {
    const clock = { now: 0 };
    const sleeps: number[] = [];
    const t: Clock = {
      now: () => clock.now,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.now += ms;
      },
    };
    const { store, requests, restores } = thawingStore(clock, 5 * 3_600_000);
    // b's restore was requested by an earlier run, an hour ago.
    restores.set('b', -3_600_000);
    const r = await rehydrate(store, [pack('a'), pack('b', true), pack('c')], { priority: 'standard', days: 2, clock: t, firstPollMs: 60_000, maxPollMs: 900_000 });
    expect(requests).toEqual(['a', 'c']);
    expect(r).toMatchObject({ requested: 2, inProgress: 1, readable: 0 });
    expect(sleeps.slice(0, 6)).toEqual([60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
    expect(clock.now).toBeGreaterThanOrEqual(5 * 3_600_000);
    expect(clock.now - 5 * 3_600_000).toBeLessThanOrEqual(900_000); // seen within one poll of the end
    expect(r.waitedMs).toBe(clock.now);
  });

  it('asks again for a pack whose restored copy expired before it was seen, and only then', async () => {
    const clock = { now: 0 };
    const t: Clock = { now: () => clock.now, sleep: async (ms) => void (clock.now += ms) };
    // Thawed after 1 min, the first copy readable 30 s only: the poll 2 min later finds it cold again.
    const { store, requests } = thawingStore(clock, 60_000, 30_000);
    const r = await rehydrate(store, [pack('x'), pack('y')], { priority: 'expedited', days: 1, clock: t, firstPollMs: 120_000, maxPollMs: 120_000 });
    expect(requests).toEqual(['x', 'y', 'x', 'y']);
    expect(r.requested).toBe(4);
    expect(clock.now).toBe(240_000);
  });
});

describe('estimates', () => {
  it('prices a thaw per GiB, per request and for the days the copies stay online, and names tiers it cannot price', () => {
    const e = estimateThaw([{ size: GiB, tier: 'GLACIER' }, { size: GiB, tier: 'GLACIER' }, { size: GiB, tier: 'MYSTERY' }], 'standard', 3, DEFAULT_PRICES);
    const glacier = DEFAULT_PRICES.tiers.find((x) => x.tier === 'GLACIER')!.retrieval.standard!;
    expect(e.usd).toBeCloseTo(2 * glacier.perGiB + (2 * glacier.per1000Requests) / 1000 + 2 * DEFAULT_PRICES.onlinePerGiBMonth.s3 * (3 / 30), 10);
    expect(e.hours).toEqual(glacier.hours);
    expect(e.unpriced).toEqual(['MYSTERY']);
    expect(estimateThaw([{ size: GiB, tier: 'DEEP_ARCHIVE' }], 'expedited', 1, DEFAULT_PRICES)).toMatchObject({ usd: 0, hours: null, unpriced: ['DEEP_ARCHIVE'] });
  });

  it('models a year: with no change the newest snapshot needs exactly the first backup, all archived', () => {
    const volume = 64 * GiB;
    const e = estimateArchive({ volumeBytes: volume, dailyChange: 0, days: 365, archiveAfterDays: 30, tier: 'DEEP_ARCHIVE', priority: 'bulk', restoreDays: 2 }, DEFAULT_PRICES);
    expect(e.storedBytes).toBe(volume);
    expect(e.latest.coldBytes).toBe(volume);
    expect(e.latest.coldPacks).toBe(volume / e.model.packBytes);
    expect(e.monthlyArchivedUsd).toBeCloseTo(64 * 0.00099, 10);
    const changing = estimateArchive({ volumeBytes: volume, dailyChange: 0.05, days: 365, archiveAfterDays: 30, tier: 'DEEP_ARCHIVE', priority: 'bulk', restoreDays: 2 }, DEFAULT_PRICES);
    expect(changing.storedBytes).toBeCloseTo(volume * (1 + 364 * 0.05), 0);
    // Packs are thawed whole: the newest snapshot needs more archived bytes than it holds.
    expect(changing.latest.coldBytes).toBeGreaterThan(0);
    expect(changing.latest.coldBytes).toBeLessThan(changing.archivedBytes);
  });
});

describe('price file', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('snaptier-prices-');
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('replaces the table, and a malformed one is refused naming the field', async () => {
    const file = join(dir.path, 'prices.json');
    await writeFile(file, JSON.stringify({ ...DEFAULT_PRICES, date: '2030-01-01' }));
    expect((await loadPrices(file)).date).toBe('2030-01-01');
    const bad = join(dir.path, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...DEFAULT_PRICES, tiers: [{ ...DEFAULT_PRICES.tiers[0], storagePerGiBMonth: -1 }] }));
    await expect(loadPrices(bad)).rejects.toThrow(UsageError);
    await expect(loadPrices(bad)).rejects.toThrow(/tiers\.0\.storagePerGiBMonth/);
  });
});
