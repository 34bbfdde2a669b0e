// An ObjectStore held in memory (restic's backend/mem, kopia's blobtesting map storage): the
// store of the in-process test tier. It keeps the whole contract — ranged reads that refuse to
// run past the end, atomic create-once, list by prefix, idempotent delete — and, when made with
// `immutability`, object-lock semantics on an injected clock: an immutable object cannot be
// deleted or overwritten before its immutability ends, and compliance immutability only grows. It also counts requests,
// so a test can state what an operation costs.
import {
  type ContainerOptions,
  type GetOptions,
  InvalidRangeError,
  ObjectExistsError,
  type ObjectInfo,
  type ObjectStore,
  ObjectNotFoundError,
  type PutOptions,
  type ObjectImmutability,
  ImmutableObjectError,
  ImmutabilityUnsupportedError,
  type StoreCapabilities,
  StoreError,
  totalLength,
} from '../object-store.js';

export interface MemoryStoreOptions {
  /** Accept and enforce immutability (an S3 Object Lock or Azure immutability stand-in). */
  immutability?: boolean;
  /** The store's clock, in ms since the epoch: when immutability ends. */
  now?: () => number;
  description?: string;
}

interface Entry {
  data: Buffer;
  immutability?: ObjectImmutability;
}

/** Requests made to the store, by operation. */
export interface MemoryRequests {
  put: number;
  get: number;
  head: number;
  list: number;
  delete: number;
}

export class MemoryStore implements ObjectStore {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  readonly requests: MemoryRequests = { put: 0, get: 0, head: 0, list: 0, delete: 0 };
  private readonly objects = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(opts: MemoryStoreOptions = {}) {
    this.description = opts.description ?? 'memory';
    this.capabilities = { atomicCreate: true, tiers: [], immutability: opts.immutability === true };
    this.now = opts.now ?? Date.now;
  }

  /** Every request so far, all operations together. */
  get requestCount(): number {
    const r = this.requests;
    return r.put + r.get + r.head + r.list + r.delete;
  }

  /** The keys held, sorted: what a test compares before and after an operation. */
  keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  /** The stored bytes of `key` without counting a request (for tests that damage objects). */
  peek(key: string): Buffer | undefined {
    return this.objects.get(key)?.data;
  }

  /** Replaces the bytes of an existing object behind the repository's back (damage in tests). */
  poke(key: string, data: Uint8Array): void {
    const e = this.objects.get(key);
    if (!e) throw new ObjectNotFoundError(key);
    e.data = Buffer.from(data);
  }

  async put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    this.requests.put++;
    options?.signal?.throwIfAborted();
    if (options?.immutability && !this.capabilities.immutability) {
      throw new ImmutabilityUnsupportedError(`${this.description} cannot make objects immutable`);
    }
    const old = this.objects.get(key);
    if (old && options?.ifNotExists) throw new ObjectExistsError(key);
    if (old && this.immutableNow(old)) throw new ImmutableObjectError(key, { untilMs: old.immutability!.untilMs });
    // A copy: the caller may reuse its buffers once put returns.
    const data = Buffer.allocUnsafe(totalLength(body));
    let at = 0;
    for (const part of body) {
      data.set(part, at);
      at += part.byteLength;
    }
    this.objects.set(key, options?.immutability ? { data, immutability: { ...options.immutability } } : { data });
  }

  async get(key: string, options?: GetOptions): Promise<Buffer> {
    this.requests.get++;
    options?.signal?.throwIfAborted();
    const e = this.objects.get(key);
    if (!e) throw new ObjectNotFoundError(key);
    const r = options?.range;
    if (!r) return Buffer.from(e.data);
    if (!Number.isSafeInteger(r.offset) || !Number.isSafeInteger(r.length) || r.offset < 0 || r.length < 1 || r.offset + r.length > e.data.length) {
      throw new InvalidRangeError(`range ${r.offset}+${r.length} is outside ${key} (${e.data.length} bytes)`);
    }
    return Buffer.from(e.data.subarray(r.offset, r.offset + r.length));
  }

  async head(key: string): Promise<ObjectInfo> {
    this.requests.head++;
    const e = this.objects.get(key);
    if (!e) throw new ObjectNotFoundError(key);
    return { key, size: e.data.length, ...(e.immutability ? { immutableUntil: e.immutability.untilMs } : {}) };
  }

  async *list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    this.requests.list++;
    // A snapshot of the keys: deleting while listing is allowed, as on the real stores.
    const found: ObjectInfo[] = [];
    for (const [key, e] of this.objects) if (key.startsWith(prefix)) found.push({ key, size: e.data.length });
    for (const o of found) {
      signal?.throwIfAborted();
      yield o;
    }
  }

  async delete(key: string): Promise<void> {
    this.requests.delete++;
    const e = this.objects.get(key);
    if (!e) return;
    if (this.immutableNow(e)) throw new ImmutableObjectError(key, { untilMs: e.immutability!.untilMs });
    this.objects.delete(key);
  }

  async extendImmutability(key: string, immutability: ObjectImmutability): Promise<void> {
    this.requests.put++;
    if (!this.capabilities.immutability) throw new ImmutabilityUnsupportedError(`${this.description} cannot make objects immutable`);
    const e = this.objects.get(key);
    if (!e) throw new ObjectNotFoundError(key);
    if (e.immutability && this.immutableNow(e) && e.immutability.mode === 'compliance' && immutability.untilMs < e.immutability.untilMs) {
      throw new StoreError(`the compliance immutability of ${key} cannot be shortened`);
    }
    e.immutability = { ...immutability };
  }

  async ensureContainer(options?: ContainerOptions): Promise<void> {
    if (options?.immutability && !this.capabilities.immutability) {
      throw new ImmutabilityUnsupportedError(`${this.description} was made without immutability`);
    }
  }

  private immutableNow(e: Entry): boolean {
    return e.immutability !== undefined && e.immutability.untilMs > this.now();
  }
}
