// The in-memory store of the unit tier: the shared ObjectStore contract, and the two variants —
// immutability on a test clock, and planned faults that must each be reached.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { faultyMemoryStore, immutableMemoryStore } from '../../../src/store/memory/variants.js';
import { ObjectExistsError, ImmutableObjectError, ImmutabilityUnsupportedError, StoreError } from '../../../src/store/object-store.js';
import { describeStoreContract } from '../../store/contract.js';

describeStoreContract('MemoryStore', async () => ({ store: new MemoryStore(), cleanup: async () => {} }));
describeStoreContract('MemoryStore with immutability', async () => ({ store: immutableMemoryStore(Date.now), cleanup: async () => {} }));

describe('MemoryStore immutability', () => {
  const T0 = Date.parse('2026-06-01T00:00:00Z');

  it('refuses delete and overwrite of an immutable object until its immutability ends, then allows both', async () => {
    let now = T0;
    const store = immutableMemoryStore(() => now);
    await store.put('data/00/p', [Buffer.from('pack')], { immutability: { mode: 'compliance', untilMs: T0 + 1000 } });
    expect((await store.head('data/00/p')).immutableUntil).toBe(T0 + 1000);
    await expect(store.delete('data/00/p')).rejects.toBeInstanceOf(ImmutableObjectError);
    await expect(store.put('data/00/p', [Buffer.from('x')])).rejects.toBeInstanceOf(ImmutableObjectError);
    expect((await store.get('data/00/p')).toString()).toBe('pack');
    now = T0 + 1000;
    await store.delete('data/00/p');
    expect(store.keys()).toEqual([]);
  });

  it('extends immutability, and refuses to shorten compliance immutability', async () => {
    const store = immutableMemoryStore(() => T0);
    await store.put('k', [Buffer.from('a')], { immutability: { mode: 'compliance', untilMs: T0 + 1000 } });
    await store.extendImmutability('k', { mode: 'compliance', untilMs: T0 + 5000 });
    expect((await store.head('k')).immutableUntil).toBe(T0 + 5000);
    await expect(store.extendImmutability('k', { mode: 'compliance', untilMs: T0 + 2000 })).rejects.toBeInstanceOf(StoreError);
  });

  it('a store made without immutability refuses it at put and at ensureContainer', async () => {
    const store = new MemoryStore();
    await expect(store.put('k', [], { immutability: { mode: 'governance', untilMs: T0 } })).rejects.toBeInstanceOf(ImmutabilityUnsupportedError);
    await expect(store.ensureContainer({ immutability: true })).rejects.toBeInstanceOf(ImmutabilityUnsupportedError);
    await immutableMemoryStore(() => T0).ensureContainer({ immutability: true });
  });
});

describe('MemoryStore with planned faults', () => {
  it('fails exactly the planned requests, by operation or by overall request number', async () => {
    const { memory, faulty } = faultyMemoryStore([
      { op: 'put', call: 2 },
      { op: '*', call: 4, after: true },
    ]);
    await faulty.put('a', [Buffer.from('1')]);
    await expect(faulty.put('b', [Buffer.from('2')])).rejects.toThrow(/injected fault: put b/);
    await faulty.get('a');
    // The fourth request fails after taking effect: the answer is lost, the object is there.
    await expect(faulty.put('c', [Buffer.from('3')], { ifNotExists: true })).rejects.toThrow(/injected fault/);
    expect(memory.keys()).toEqual(['a', 'c']);
    await expect(faulty.put('c', [Buffer.from('3')], { ifNotExists: true })).rejects.toBeInstanceOf(ObjectExistsError);
    faulty.assertExercised();
    expect(faulty.exercised).toHaveLength(2);
  });

  it('says which planned faults a test never reached', async () => {
    const { faulty } = faultyMemoryStore([{ op: 'delete', call: 1 }, { op: 'get', call: 3 }]);
    await faulty.delete('x').catch(() => {});
    expect(() => faulty.assertExercised()).toThrow(/never reached: get #3/);
  });

  it('counts requests, so a test can state what an operation costs', async () => {
    const store = new MemoryStore();
    await store.put('a', [Buffer.from('1')]);
    await store.get('a');
    for await (const _ of store.list('')) void _;
    expect(store.requests).toEqual({ put: 1, get: 1, head: 0, list: 1, delete: 0 });
    expect(store.requestCount).toBe(3);
  });
});
