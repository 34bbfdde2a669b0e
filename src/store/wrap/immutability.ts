// Compliance retention as a wrapper: every object written through it is put under the store's
// retention lock until max(now + seconds, untilMs), except keys the caller exempts (mutable
// bookkeeping that must stay deletable). The clock is injected for tests.
import type { PutOptions, RetentionMode } from '../object-store.js';
import { ForwardingStore } from './forwarding.js';
import type { ObjectStore } from '../object-store.js';

export interface RetentionPolicy {
  mode: RetentionMode;
  /** Retention after each write; 0 for only `untilMs`. */
  seconds: number;
  /** A fixed earliest end of retention; 0 for none. */
  untilMs: number;
}

export interface RetentionWrapOptions {
  /** Keys written without a lock. */
  exempt?: (key: string) => boolean;
  now?: () => number;
}

export class RetentionLockingStore extends ForwardingStore {
  private readonly now: () => number;

  constructor(inner: ObjectStore, readonly policy: RetentionPolicy, private readonly opts: RetentionWrapOptions = {}) {
    super(inner);
    this.now = opts.now ?? Date.now;
  }

  /** Until when an object written now is locked. */
  lockEnd(): number {
    return Math.max(this.now() + this.policy.seconds * 1000, this.policy.untilMs);
  }

  override put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    if (this.opts.exempt?.(key) || options?.retention) return this.inner.put(key, body, options);
    return this.inner.put(key, body, { ...options, retention: { mode: this.policy.mode, untilMs: this.lockEnd() } });
  }
}
