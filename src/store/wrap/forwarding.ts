// Base of every wrapper: forwards each operation to the wrapped store; a wrapper overrides
// only what it changes.
import { type ContainerOptions, type GetOptions, type ObjectInfo, type ObjectStore, type PutOptions, type RestoreObjectOptions, type RestoreRequestOutcome, type ObjectImmutability, type StoreCapabilities, StoreError, type TemporaryLeftover, deleteAll } from '../object-store.js';

export class ForwardingStore implements ObjectStore {
  readonly description: string;
  readonly capabilities: StoreCapabilities;

  constructor(protected readonly inner: ObjectStore) {
    this.description = inner.description;
    this.capabilities = inner.capabilities;
  }

  put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    return this.inner.put(key, body, options);
  }

  get(key: string, options?: GetOptions): Promise<Buffer> {
    return this.inner.get(key, options);
  }

  head(key: string): Promise<ObjectInfo> {
    return this.inner.head(key);
  }

  list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    return this.inner.list(prefix, signal);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  deleteMany(keys: readonly string[]): Promise<void> {
    return this.innerDeleteMany(keys);
  }

  /** The inner store's batch delete when it has one, else one delete per key, a few at a time. */
  protected innerDeleteMany(keys: readonly string[]): Promise<void> {
    return deleteAll(this.inner, keys);
  }

  /** The inner store's, or a refusal when it has none (callers look at `capabilities.immutability` first). */
  extendImmutability(key: string, immutability: ObjectImmutability): Promise<void> {
    if (!this.inner.extendImmutability) return Promise.reject(new StoreError(`${this.description} cannot extend immutability`));
    return this.inner.extendImmutability(key, immutability);
  }

  /** The inner store's, or a refusal when it has none (callers look at `capabilities.tiers` first). */
  setTier(key: string, tier: string): Promise<void> {
    if (!this.inner.setTier) return Promise.reject(new StoreError(`${this.description} cannot change the tier of an object`));
    return this.inner.setTier(key, tier);
  }

  /** The inner store's, or a refusal when it has none (callers look at `capabilities.archiveTiers` first). */
  requestRestore(key: string, options: RestoreObjectOptions): Promise<RestoreRequestOutcome> {
    if (!this.inner.requestRestore) return Promise.reject(new StoreError(`${this.description} has no archive tiers to restore from`));
    return this.inner.requestRestore(key, options);
  }

  ensureContainer(options?: ContainerOptions): Promise<void> {
    return this.inner.ensureContainer(options);
  }

  /** The inner store's, or nothing found when it has none (its writes leave nothing behind). */
  async sweepTemporary(opts: { olderThanMs: number; nowMs: number; dryRun: boolean }): Promise<TemporaryLeftover[]> {
    return (await this.inner.sweepTemporary?.(opts)) ?? [];
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
