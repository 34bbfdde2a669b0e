// Immutability as a wrapper: every object written through it is made immutable on the store (S3
// Object Lock retention, Azure version-level immutability) until max(now + seconds, untilMs),
// except keys the caller exempts (mutable bookkeeping that must stay deletable). The time comes
// from the injected Clock, so tests can hold it still.
import { type Clock, systemClock } from '../../clock.js';
import type { ImmutabilityMode, ObjectStore, PutOptions } from '../object-store.js';
import { ForwardingStore } from './forwarding.js';

export interface ImmutabilityPolicy {
  mode: ImmutabilityMode;
  /** Immutability after each write; 0 for only `untilMs`. */
  seconds: number;
  /** A fixed earliest end of immutability; 0 for none. */
  untilMs: number;
}

export interface ImmutabilityWrapOptions {
  /** Keys written mutable. */
  exempt?: (key: string) => boolean;
  clock?: Clock;
}

export class ImmutabilityStore extends ForwardingStore {
  private readonly clock: Clock;

  constructor(inner: ObjectStore, readonly policy: ImmutabilityPolicy, private readonly opts: ImmutabilityWrapOptions = {}) {
    super(inner);
    this.clock = opts.clock ?? systemClock;
  }

  /** Until when an object written now is immutable. */
  immutableUntil(): number {
    return Math.max(this.clock.now() + this.policy.seconds * 1000, this.policy.untilMs);
  }

  override put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    if (this.opts.exempt?.(key) || options?.immutability) return this.inner.put(key, body, options);
    return this.inner.put(key, body, { ...options, immutability: { mode: this.policy.mode, untilMs: this.immutableUntil() } });
  }
}
