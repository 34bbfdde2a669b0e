// A lease reads the injected Clock (LeaseRequest.clock): its start, and each refresh, are that
// clock's times, so tests of ages and staleness need no sleeping.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { Codec, Repository, acquireLease, readLeases } from '../../../src/index.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';

const T0 = Date.UTC(2030, 0, 1);

describe('leases on an injected clock', () => {
  it('start and refresh at the times of the clock they are given', async () => {
    const repo = await Repository.init(new MemoryStore(), { password: null, compression: Codec.None, kdfLog2N: 10 });
    const clock = new ManualClock(T0);
    const h = await acquireLease(repo, { operation: 'backup', kind: 'shared', clock, refreshMs: 0 });
    expect(h.lease).toMatchObject({ startedMs: T0, refreshedMs: T0 });
    clock.advance(90_000);
    await h.refresh();
    expect(h.lease).toMatchObject({ startedMs: T0, refreshedMs: T0 + 90_000 });
    const stored = (await readLeases(repo)).leases.map((s) => s.lease);
    expect(stored).toMatchObject([{ startedMs: T0, refreshedMs: T0 + 90_000 }]);
    await h.release();
    expect((await readLeases(repo)).leases).toEqual([]);
  });
});
