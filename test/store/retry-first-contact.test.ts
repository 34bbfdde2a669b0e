// The retry wrapper's first-contact rule, on fake time: before a store has answered once, a
// failure to reach it at all gets FIRST_CONTACT budget and a message naming store and cause;
// after the first answer the same failure gets the whole budget (mid-job faults are ridden out).
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/object-store.js';
import { unreachableCause } from '../../src/store/transient.js';
import { RetryingStore } from '../../src/store/wrap/retry.js';
import { LocalStore } from '../../src/store/local/local-store.js';
import { ForwardingStore } from '../../src/store/wrap/forwarding.js';
import { tempDir } from '../helpers/cli.js';

function refused(): StoreError {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  return new StoreError('S3 get config failed: ECONNREFUSED', { cause, retriable: true });
}

/** Answers normally until `down` is set, then refuses every connection. */
class Flaky extends ForwardingStore {
  down = true;
  calls = 0;
  override get(key: string): Promise<Buffer> {
    this.calls++;
    return this.down ? Promise.reject(refused()) : this.inner.get(key);
  }
}

function fakeTime() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), random: () => 0.5 };
}

describe('retry: first contact', () => {
  it('classifies refused, unknown host and TLS failures, and nothing a server answered', () => {
    expect(unreachableCause(refused())).toBe('connection refused (ECONNREFUSED)');
    expect(unreachableCause(new StoreError('x', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }) }))).toMatch(/^unknown host/);
    expect(unreachableCause(new Error('write EPROTO 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'))).toMatch(/^TLS failure/);
    expect(unreachableCause(Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))).toMatch(/^TLS failure/);
    expect(unreachableCause(new StoreError('S3 get x failed: SlowDown (HTTP 503)', { retriable: true }))).toBeNull();
    expect(unreachableCause(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBeNull();
  });

  it('gives up on a store never reached after the first-contact budget, naming it and the cause', async () => {
    const tmp = await tempDir();
    try {
      const flaky = new Flaky(new LocalStore(tmp.path));
      const t = fakeTime();
      const store = new RetryingStore(flaky, { budgetMs: 300_000, baseDelayMs: 100, maxDelayMs: 10_000, firstContactBudgetMs: 8_000, ...t });
      const err = await store.get('config').catch((e) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect(err.message).toContain(`local directory ${tmp.path} cannot be reached: connection refused (ECONNREFUSED)`);
      expect(t.now()).toBeGreaterThanOrEqual(8_000);
      expect(t.now()).toBeLessThan(20_000);
    } finally {
      await tmp.cleanup();
    }
  });

  it('keeps the whole budget for the same failure once the store has answered', async () => {
    const tmp = await tempDir();
    try {
      const local = new LocalStore(tmp.path);
      await local.put('k', [Buffer.from('x')]);
      const flaky = new Flaky(local);
      flaky.down = false;
      const t = fakeTime();
      const store = new RetryingStore(flaky, { budgetMs: 300_000, baseDelayMs: 100, maxDelayMs: 10_000, firstContactBudgetMs: 8_000, ...t });
      expect((await store.get('k')).toString()).toBe('x');
      flaky.down = true;
      const err = await store.get('k').catch((e) => e);
      expect(err.message).toMatch(/^get k still failing after \d+ attempts/);
      expect(t.now()).toBeGreaterThan(250_000);
    } finally {
      await tmp.cleanup();
    }
  });
});
