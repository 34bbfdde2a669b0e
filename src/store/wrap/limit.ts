// Bounded concurrency as a wrapper (p-limit): at most N requests reach the store at once,
// whatever the callers do. Listings are not limited (they are few and long-lived).
import pLimit, { type LimitFunction } from 'p-limit';
import type { GetOptions, ObjectInfo, ObjectStore, PutOptions, RestoreObjectOptions, RestoreRequestOutcome, ObjectImmutability } from '../object-store.js';
import { ForwardingStore } from './forwarding.js';

export class LimitedStore extends ForwardingStore {
  private readonly limit: LimitFunction;

  constructor(inner: ObjectStore, concurrency: number) {
    super(inner);
    this.limit = pLimit(concurrency);
  }

  override put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    return this.limit(() => this.inner.put(key, body, options));
  }

  override get(key: string, options?: GetOptions): Promise<Buffer> {
    return this.limit(() => this.inner.get(key, options));
  }

  override head(key: string): Promise<ObjectInfo> {
    return this.limit(() => this.inner.head(key));
  }

  override delete(key: string): Promise<void> {
    return this.limit(() => this.inner.delete(key));
  }

  override deleteMany(keys: readonly string[]): Promise<void> {
    return this.limit(() => this.innerDeleteMany(keys));
  }

  override extendImmutability(key: string, immutability: ObjectImmutability): Promise<void> {
    return this.limit(() => super.extendImmutability(key, immutability));
  }

  override setTier(key: string, tier: string): Promise<void> {
    return this.limit(() => super.setTier(key, tier));
  }

  override requestRestore(key: string, options: RestoreObjectOptions): Promise<RestoreRequestOutcome> {
    return this.limit(() => super.requestRestore(key, options));
  }
}
