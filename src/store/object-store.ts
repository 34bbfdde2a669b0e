// The one small interface every backend implements (local directory, S3, Azure Blob), and the
// errors adapters translate their native failures into. Objects are immutable: a key is written
// once and then only read or deleted.

export interface ByteRange {
  offset: number;
  length: number;
}

export interface ObjectInfo {
  key: string;
  size: number;
}

export interface PutOptions {
  /** Fail with AlreadyExistsError when the key exists (atomic on stores that support it). */
  ifNotExists?: boolean;
  /** Storage tier / class for this object, when the store has tiers. */
  tier?: string;
  signal?: AbortSignal;
}

export interface GetOptions {
  range?: ByteRange;
  signal?: AbortSignal;
}

export interface StoreCapabilities {
  /** `ifNotExists` is enforced by the store, not only checked before writing. */
  atomicCreate: boolean;
  /** Storage tiers / classes `PutOptions.tier` accepts; empty when the store has none. */
  tiers: readonly string[];
}

export interface ObjectStore {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  /** Writes the concatenation of `body` under `key`, atomically: readers see all of it or nothing. */
  put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void>;
  /** The whole object or a byte range of it. A range past the end is an error. */
  get(key: string, options?: GetOptions): Promise<Buffer>;
  head(key: string): Promise<ObjectInfo>;
  /** Every object whose key starts with `prefix`, in no particular order. */
  list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo>;
  /** Deleting a key that does not exist succeeds. */
  delete(key: string): Promise<void>;
  /**
   * Optional batch form of `delete` for stores that have one (S3 DeleteObjects: 1000 keys a
   * request). Same meaning as deleting each key: missing keys succeed. Callers fall back to
   * `delete` per key when a store (or a wrapper around it) does not provide it.
   */
  deleteMany?(keys: readonly string[]): Promise<void>;
  /** Creates the bucket, container or directory when it does not exist. */
  ensureContainer(): Promise<void>;
  close?(): Promise<void>;
}

export class StoreError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options?: { cause?: unknown; retriable?: boolean }) {
    super(message, options);
    this.name = new.target.name;
    this.retriable = options?.retriable ?? false;
  }
}

export class ObjectNotFoundError extends StoreError {
  constructor(readonly key: string, options?: { cause?: unknown }) {
    super(`object ${key} not found`, options);
  }
}

export class ObjectExistsError extends StoreError {
  constructor(readonly key: string, options?: { cause?: unknown }) {
    super(`object ${key} already exists`, options);
  }
}

export class AccessDeniedError extends StoreError {}

export class InvalidRangeError extends StoreError {}

export function isNotFound(err: unknown): err is ObjectNotFoundError {
  return err instanceof ObjectNotFoundError;
}

export function totalLength(body: readonly Uint8Array[]): number {
  let n = 0;
  for (const part of body) n += part.byteLength;
  return n;
}
