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
  /** From `head` on stores with immutability: when (ms) the object's immutability ends, when it has one. */
  immutableUntil?: number;
  /** From `list` (and `head` where known): when the object was last written, ms since the epoch. */
  modifiedMs?: number;
  /** From `list` on stores with tiers: the object's storage class or access tier. */
  tier?: string;
  /** From `head` on stores with archive tiers: the object's tier and whether it can be read now. */
  archive?: ArchiveStatus;
}

/**
 * Where an object's bytes are on a store with archive tiers (S3 GLACIER / DEEP_ARCHIVE, Azure
 * Archive). An object in such a tier cannot be read until a restore (rehydration) has finished.
 */
export interface ArchiveStatus {
  /** The storage class or access tier, as the store names it (STANDARD, GLACIER, Hot, Archive, ...). */
  tier: string;
  /** A GET would be refused now: the object is in an archive tier with no finished restore. */
  cold: boolean;
  /** A restore was requested and has not finished (S3 ongoing-request="true", Azure rehydrate-pending-*). */
  restoring: boolean;
  /** S3: when the restored copy of an archived object goes away again (ms since the epoch). */
  restoredUntil?: number;
}

/** How fast a store thaws an archived object: S3 Bulk/Standard/Expedited, Azure Standard/High. */
export type RestorePriority = 'bulk' | 'standard' | 'expedited';

export interface RestoreObjectOptions {
  /** S3: days the restored copy stays readable (Azure moves the blob to Hot for good: ignored). */
  days: number;
  priority: RestorePriority;
}

/** What a restore request found: it started one, one was already running, or the object is readable. */
export type RestoreRequestOutcome = 'requested' | 'in-progress' | 'restored';

/** How immutability binds: compliance binds everyone; governance can be lifted by a privileged caller. */
export type ImmutabilityMode = 'compliance' | 'governance';

export interface ObjectImmutability {
  mode: ImmutabilityMode;
  /** The object cannot be deleted or overwritten before this time (ms since the epoch). */
  untilMs: number;
}

export interface PutOptions {
  /** Fail with AlreadyExistsError when the key exists (atomic on stores that support it). */
  ifNotExists?: boolean;
  /** Storage tier / class for this object, when the store has tiers. */
  tier?: string;
  /** Write the object immutable; only on stores whose capabilities say `immutability`. */
  immutability?: ObjectImmutability;
  signal?: AbortSignal;
}

export interface ContainerOptions {
  /** The bucket must support immutability: created so when missing, refused when it exists without. */
  immutability?: boolean;
}

export interface GetOptions {
  range?: ByteRange;
  signal?: AbortSignal;
  /**
   * Memory to read into, exactly as long as the object or range: a store that can read into it
   * returns it; one that cannot returns memory of its own. Callers use the result either way.
   */
  into?: Buffer;
}

export interface StoreCapabilities {
  /** `ifNotExists` is enforced by the store, not only checked before writing. */
  atomicCreate: boolean;
  /** Storage tiers / classes `PutOptions.tier` accepts; empty when the store has none. */
  tiers: readonly string[];
  /** The store can make objects immutable (no delete, no overwrite) until a date (`PutOptions.immutability`); absent means no. */
  immutability?: boolean;
  /** Tiers of `tiers` whose objects must be restored before they can be read (absent: none). */
  archiveTiers?: readonly string[];
}

export interface ObjectStore {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  /**
   * Writes the concatenation of `body` under `key`, atomically: readers see all of it or nothing.
   * Once the returned promise settles the store holds no reference to `body`: the backup reuses
   * those buffers for its next pack.
   */
  put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void>;
  /** The whole object or a byte range of it. A range past the end is an error. */
  get(key: string, options?: GetOptions): Promise<Buffer>;
  head(key: string): Promise<ObjectInfo>;
  /** Every object whose key starts with `prefix`, in no particular order. */
  list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo>;
  /**
   * Deleting a key that does not exist succeeds. An immutable object is refused
   * with ImmutableObjectError (and stays readable).
   */
  delete(key: string): Promise<void>;
  /**
   * Optional batch form of `delete` for stores that have one (S3 DeleteObjects: 1000 keys a
   * request). Same meaning as deleting each key: missing keys succeed. Callers fall back to
   * `delete` per key when a store (or a wrapper around it) does not provide it.
   */
  deleteMany?(keys: readonly string[]): Promise<void>;
  /**
   * Optional, on stores with `immutability`: moves the end of the object's immutability to
   * `immutability.untilMs`. It only grows: a store refuses to shorten compliance immutability.
   */
  extendImmutability?(key: string, immutability: ObjectImmutability): Promise<void>;
  /**
   * Optional, on stores with tiers: moves an existing object to `tier` (S3: CopyObject onto
   * itself with the new StorageClass; Azure: Set Blob Tier). The bytes and the key stay the same.
   */
  setTier?(key: string, tier: string): Promise<void>;
  /**
   * Optional, on stores with `archiveTiers`: asks for an archived object to be made readable
   * (S3 RestoreObject; Azure Set Blob Tier to Hot with a rehydrate priority). Asking again while
   * one runs is answered `in-progress`, never a second request billed twice.
   */
  requestRestore?(key: string, options: RestoreObjectOptions): Promise<RestoreRequestOutcome>;
  /** Creates the bucket, container or directory when it does not exist. */
  ensureContainer(options?: ContainerOptions): Promise<void>;
  /**
   * Optional, on stores where an interrupted write can leave something behind that no reader
   * sees (the local store's temporary files: a kill -9 between writing one and renaming it):
   * finds those older than `olderThanMs` (younger ones may belong to a write still running) and,
   * unless `dryRun`, removes them. Keys are relative to the store's root, as object keys are.
   */
  sweepTemporary?(opts: { olderThanMs: number; nowMs: number; dryRun: boolean }): Promise<TemporaryLeftover[]>;
  close?(): Promise<void>;
}

/** Something an interrupted write left behind: its key (relative to the store's root), size and age. */
export interface TemporaryLeftover {
  key: string;
  size: number;
  ageMs: number;
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

/** A delete (or overwrite) the store refused because the object is immutable. */
export class ImmutableObjectError extends StoreError {
  constructor(readonly key: string, options?: { cause?: unknown; untilMs?: number }) {
    super(
      `object ${key} is immutable${options?.untilMs ? ` until ${new Date(options.untilMs).toISOString()}` : ''} and cannot be deleted`,
      options,
    );
  }
}

/**
 * A read the store refused because the object is in an archive tier and not restored (S3 403
 * InvalidObjectState, Azure 409 BlobArchived). `restore --rehydrate` makes such objects readable.
 */
export class ColdObjectError extends StoreError {
  constructor(readonly key: string, readonly detail: string, options?: { cause?: unknown }) {
    super(`object ${key} is in an archive tier and must be rehydrated before it can be read (${detail})`, options);
  }
}

/** The store (or its bucket) cannot make objects immutable, and the repository asks for it. */
export class ImmutabilityUnsupportedError extends StoreError {}

export function isNotFound(err: unknown): err is ObjectNotFoundError {
  return err instanceof ObjectNotFoundError;
}

/**
 * Deletes `keys` with the store's batch delete when it has one, else one request per key,
 * `perKey` at a time: the one fallback the wrappers and prune share.
 */
export async function deleteAll(store: ObjectStore, keys: readonly string[], perKey = 16): Promise<void> {
  if (store.deleteMany) return store.deleteMany(keys);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) await store.delete(keys[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(perKey, keys.length) }, worker));
}

export function totalLength(body: readonly Uint8Array[]): number {
  let n = 0;
  for (const part of body) n += part.byteLength;
  return n;
}
