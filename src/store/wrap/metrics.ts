// Counts what reaches the store: requests by operation, bytes each way, retries. These feed the
// `--json` figures and the service's metrics.
import type { GetOptions, ObjectInfo, ObjectStore, PutOptions, RestoreObjectOptions, RestoreRequestOutcome, ObjectImmutability } from '../object-store.js';
import { totalLength } from '../object-store.js';
import { ForwardingStore } from './forwarding.js';

export interface StoreCounters {
  requests: { put: number; get: number; head: number; list: number; delete: number };
  bytesUp: number;
  bytesDown: number;
  /** Requests tried again: by the retry wrapper, and by an adapter's SDK (ReportsResends). */
  retries: number;
  failures: number;
}

/**
 * An adapter whose client sends some requests again by itself (the S3 SDK's one quick resend),
 * below every wrapper: it reports each resend so that `retries` counts them too.
 */
export interface ReportsResends {
  onResend(listener: () => void): void;
}

export function reportsResends(store: ObjectStore): store is ObjectStore & ReportsResends {
  return typeof (store as Partial<ReportsResends>).onResend === 'function';
}

export function newCounters(): StoreCounters {
  return { requests: { put: 0, get: 0, head: 0, list: 0, delete: 0 }, bytesUp: 0, bytesDown: 0, retries: 0, failures: 0 };
}

export class MeteredStore extends ForwardingStore {
  constructor(
    inner: ObjectStore,
    readonly counters: StoreCounters,
  ) {
    super(inner);
  }

  private async count<T>(op: keyof StoreCounters['requests'], fn: () => Promise<T>): Promise<T> {
    this.counters.requests[op]++;
    try {
      return await fn();
    } catch (err) {
      this.counters.failures++;
      throw err;
    }
  }

  override async put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    await this.count('put', () => this.inner.put(key, body, options));
    this.counters.bytesUp += totalLength(body);
  }

  override async get(key: string, options?: GetOptions): Promise<Buffer> {
    const buf = await this.count('get', () => this.inner.get(key, options));
    this.counters.bytesDown += buf.length;
    return buf;
  }

  override head(key: string): Promise<ObjectInfo> {
    return this.count('head', () => this.inner.head(key));
  }

  override async *list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    this.counters.requests.list++;
    yield* this.inner.list(prefix, signal);
  }

  override delete(key: string): Promise<void> {
    return this.count('delete', () => this.inner.delete(key));
  }

  /** One request for a store's batch delete; one per key when it deletes key by key. */
  override async deleteMany(keys: readonly string[]): Promise<void> {
    if (this.inner.deleteMany) return this.count('delete', () => this.innerDeleteMany(keys));
    await this.innerDeleteMany(keys);
    this.counters.requests.delete += keys.length;
  }

  /** A PUT of the object's immutability (S3 PutObjectRetention). */
  override extendImmutability(key: string, immutability: ObjectImmutability): Promise<void> {
    return this.count('put', () => super.extendImmutability(key, immutability));
  }

  /** One request: S3 CopyObject (counted as a put), Azure Set Blob Tier. */
  override setTier(key: string, tier: string): Promise<void> {
    return this.count('put', () => super.setTier(key, tier));
  }

  /** One request: S3 RestoreObject (a POST, counted as a put), Azure Set Blob Tier. */
  override requestRestore(key: string, options: RestoreObjectOptions): Promise<RestoreRequestOutcome> {
    return this.count('put', () => super.requestRestore(key, options));
  }
}
