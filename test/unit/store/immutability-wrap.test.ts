// The immutability wrapper on the memory store, on an injected ManualClock: each write is made
// immutable until max(now + seconds, untilMs) of that clock, bookkeeping keys stay mutable.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { immutableMemoryStore } from '../../../src/store/memory/variants.js';
import { ImmutableObjectError } from '../../../src/store/object-store.js';
import { ImmutabilityStore } from '../../../src/store/wrap/immutability.js';

const T0 = Date.UTC(2030, 0, 1);
const HOUR = 3_600_000;
const body = [Buffer.from('pack')];

describe('ImmutabilityStore', () => {
  it('makes each write immutable for its period from the injected clock, and leaves exempt keys mutable', async () => {
    const clock = new ManualClock(T0);
    const inner = immutableMemoryStore(() => clock.now());
    const store = new ImmutabilityStore(inner, { mode: 'compliance', seconds: 60, untilMs: 0 }, { clock, exempt: (k) => k.startsWith('locks/') });

    await store.put('data/aa/first', body);
    expect((await store.head('data/aa/first')).immutableUntil).toBe(T0 + 60_000);
    clock.advance(HOUR);
    await store.put('data/aa/later', body);
    expect((await store.head('data/aa/later')).immutableUntil).toBe(T0 + HOUR + 60_000);
    await expect(store.delete('data/aa/later')).rejects.toBeInstanceOf(ImmutableObjectError);

    await store.put('locks/0123', body);
    expect((await store.head('locks/0123')).immutableUntil).toBeUndefined();
    await store.delete('locks/0123');
    // The first object's minute is over by the same clock: it can go.
    await store.delete('data/aa/first');
  });

  it('a fixed date later than now + seconds wins', async () => {
    const clock = new ManualClock(T0);
    const store = new ImmutabilityStore(immutableMemoryStore(() => clock.now()), { mode: 'governance', seconds: 60, untilMs: T0 + 10 * HOUR }, { clock });
    await store.put('snapshots/s', body);
    expect((await store.head('snapshots/s')).immutableUntil).toBe(T0 + 10 * HOUR);
    clock.advance(20 * HOUR);
    await store.put('snapshots/t', body);
    expect((await store.head('snapshots/t')).immutableUntil).toBe(T0 + 20 * HOUR + 60_000);
  });
});
