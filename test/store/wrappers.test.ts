// The cross-cutting wrappers, each on a real local store with planned faults and fake time.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/store/local/local-store.js';
import { AccessDeniedError, ObjectNotFoundError, type ObjectStore, StoreError } from '../../src/store/object-store.js';
import { TokenBucket } from '../../src/store/wrap/bandwidth.js';
import { wrapStore } from '../../src/store/wrap/compose.js';
import { FaultyStore } from '../../src/store/wrap/faults.js';
import { ForwardingStore } from '../../src/store/wrap/forwarding.js';
import { LimitedStore } from '../../src/store/wrap/limit.js';
import { RetryingStore } from '../../src/store/wrap/retry.js';
import { tempDir } from '../helpers/cli.js';

function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('store wrappers', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let local: ObjectStore;
  beforeEach(async () => {
    dir = await tempDir();
    local = new LocalStore(join(dir.path, 'store'));
    await local.ensureContainer();
  });
  afterEach(async () => dir.cleanup());

  it('retries retriable faults with growing jittered waits and then succeeds', async () => {
    const faulty = new FaultyStore(local, [
      { op: 'put', call: 1 },
      { op: 'put', call: 2 },
      { op: 'get', call: 1 },
    ]);
    const t = fakeTime();
    const retried: string[] = [];
    const store = new RetryingStore(faulty, {
      budgetMs: 60_000,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 0.999,
      ...t,
      onRetry: (op, key, attempt) => retried.push(`${op} ${key} ${attempt}`),
    });
    await store.put('a', [Buffer.from('hello')]);
    expect((await store.get('a')).toString()).toBe('hello');
    expect(retried).toEqual(['put a 1', 'put a 2', 'get a 1']);
    expect(t.sleeps).toEqual([99, 199, 99]);
    expect(faulty.unexercised()).toEqual([]);
  });

  it('never retries not-found, access denied or non-retriable errors', async () => {
    const t = fakeTime();
    let calls = 0;
    class Denying extends ForwardingStore {
      override head(): Promise<never> {
        calls++;
        return Promise.reject(new AccessDeniedError('denied'));
      }
    }
    const store = new RetryingStore(new Denying(local), { budgetMs: 60_000, baseDelayMs: 10, maxDelayMs: 100, ...t });
    await expect(store.get('missing')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.head('x')).rejects.toBeInstanceOf(AccessDeniedError);
    expect(calls).toBe(1);
    const faulty = new FaultyStore(local, [{ op: 'delete', call: 1, retriable: false }]);
    await expect(new RetryingStore(faulty, { budgetMs: 60_000, baseDelayMs: 10, maxDelayMs: 100, ...t }).delete('x')).rejects.toThrow(/injected/);
    expect(t.sleeps).toEqual([]);
  });

  it('gives up when the time budget is spent, naming the operation and key', async () => {
    const plan = Array.from({ length: 50 }, (_, i) => ({ op: 'get' as const, call: i + 1 }));
    const t = fakeTime();
    await local.put('k', [Buffer.from('x')]);
    const store = new RetryingStore(new FaultyStore(local, plan), { budgetMs: 5_000, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5, ...t });
    const err = await store.get('k').catch((e) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toMatch(/^get k still failing after \d+ attempts/);
    expect(t.now()).toBeLessThanOrEqual(5_000);
  });

  it('does not retry once the signal is aborted', async () => {
    const t = fakeTime();
    const faulty = new FaultyStore(local, [{ op: 'get', call: 1 }, { op: 'get', call: 2 }]);
    const store = new RetryingStore(faulty, { budgetMs: 60_000, baseDelayMs: 10, maxDelayMs: 100, ...t });
    const ac = new AbortController();
    ac.abort();
    await expect(store.get('k', { signal: ac.signal })).rejects.toThrow(/injected/);
    expect(faulty.exercised).toHaveLength(1);
  });

  it('treats a create-once put whose answer was lost as done when the stored bytes are ours', async () => {
    const faulty = new FaultyStore(local, [{ op: 'put', call: 1, after: true }]);
    const store = new RetryingStore(faulty, { budgetMs: 60_000, baseDelayMs: 1, maxDelayMs: 2, ...fakeTime() });
    await store.put('m', [Buffer.from('mine')], { ifNotExists: true });
    expect((await local.get('m')).toString()).toBe('mine');
    // Someone else's object under the same key is still a conflict.
    const again = new RetryingStore(new FaultyStore(local, [{ op: 'put', call: 1 }]), { budgetMs: 60_000, baseDelayMs: 1, maxDelayMs: 2, ...fakeTime() });
    await expect(again.put('m', [Buffer.from('theirs')], { ifNotExists: true })).rejects.toThrow(/already exists/);
  });

  it('lets at most N requests reach the store at once', async () => {
    let inFlight = 0;
    let peak = 0;
    class Slow extends ForwardingStore {
      override async head(key: string) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return { key, size: 0 };
      }
    }
    const store = new LimitedStore(new Slow(local), 3);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.head(`k${i}`)));
    expect(peak).toBe(3);
  });

  it('paces requests to the byte rate', async () => {
    const t = fakeTime();
    const bucket = new TokenBucket(1000, t.now, t.sleep);
    for (let i = 0; i < 5; i++) await bucket.take(1000);
    // One second of burst, then each 1000 bytes waits a second.
    expect(t.now()).toBe(4000);
  });

  it('counts requests, bytes and retries through the composed stack', async () => {
    const faulty = new FaultyStore(local, [{ op: 'get', call: 2 }]);
    const { store, counters } = wrapStore(faulty, { retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    await store.put('x', [Buffer.alloc(100)]);
    await store.get('x');
    await store.get('x', { range: { offset: 10, length: 20 } });
    expect(counters.requests).toEqual({ put: 1, get: 3, head: 0, list: 0, delete: 0 });
    expect(counters.retries).toBe(1);
    expect(counters.bytesUp).toBe(100);
    expect(counters.bytesDown).toBe(120);
  });
});
