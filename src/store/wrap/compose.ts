// The one place the wrappers are stacked around an adapter, in this order (inside out):
// bandwidth (every attempt pays), metrics (every attempt counts), retry, concurrency limit.
import { RETRY, STORE_CONCURRENCY } from '../../defaults.js';
import type { ObjectStore } from '../object-store.js';
import { BandwidthLimitedStore, TokenBucket } from './bandwidth.js';
import { LimitedStore } from './limit.js';
import { MeteredStore, type StoreCounters, newCounters, reportsResends } from './metrics.js';
import { RetryingStore, type RetryOptions } from './retry.js';

export interface WrapOptions {
  concurrency?: number;
  retry?: Partial<RetryOptions>;
  /** Bytes per second; absent or 0 for no limit. */
  uploadLimit?: number;
  downloadLimit?: number;
}

export interface WrappedStore {
  store: ObjectStore;
  counters: StoreCounters;
}

export function wrapStore(adapter: ObjectStore, opts: WrapOptions = {}): WrappedStore {
  const counters = newCounters();
  // Resends inside the adapter's SDK are retries the retry wrapper never sees.
  if (reportsResends(adapter)) adapter.onResend(() => counters.retries++);
  let store: ObjectStore = adapter;
  if (opts.uploadLimit || opts.downloadLimit) {
    store = new BandwidthLimitedStore(
      store,
      opts.uploadLimit ? new TokenBucket(opts.uploadLimit) : null,
      opts.downloadLimit ? new TokenBucket(opts.downloadLimit) : null,
    );
  }
  store = new MeteredStore(store, counters);
  store = new RetryingStore(store, {
    ...RETRY,
    ...opts.retry,
    onRetry: (op, key, attempt, err) => {
      counters.retries++;
      opts.retry?.onRetry?.(op, key, attempt, err);
    },
  });
  store = new LimitedStore(store, opts.concurrency ?? STORE_CONCURRENCY);
  return { store, counters };
}
