// The S3 adapter: an ObjectStore over one bucket and key prefix of AWS S3 or an S3-compatible
// store (Ceph RGW, MinIO, s3rver). URL options are documented in s3-url.ts, client settings in
// s3-client.ts. Every SDK failure is translated in s3-errors.ts; this adapter never retries on its
// own (nor lets the SDK, unless maxAttempts asks), it marks errors retriable for the retry wrapper.
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type ObjectLockMode,
  PutObjectCommand,
  PutObjectRetentionCommand,
  RestoreObjectCommand,
  type S3Client,
  type StorageClass,
  type _Object,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import {
  type ContainerOptions,
  type RestoreObjectOptions,
  type RestoreRequestOutcome,
  InvalidRangeError,
  ObjectExistsError,
  StoreError,
  type ObjectImmutability,
  isNotFound,
  totalLength,
  type GetOptions,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  type StoreCapabilities,
} from '../object-store.js';
import { readBody } from './s3-body.js';
import { ensureBucket } from './s3-bucket.js';
import { type S3ClientOptions, countResends, createS3Client } from './s3-client.js';
import { S3_ARCHIVE_TIERS, archiveStatusOf, restoreTierOf } from './s3-archive.js';
import { DELETE_BATCH, type DeleteTarget, deleteBatch, deleteVersions } from './s3-delete.js';
import { translateS3Error } from './s3-errors.js';
import { listPages } from './s3-list.js';
import { uploadMultipart } from './s3-multipart.js';
import { type S3Location, parseS3Url } from './s3-url.js';

export { parseS3Url, type S3Location } from './s3-url.js';
export type { S3ClientOptions as S3StoreOptions } from './s3-client.js';

/** The S3 storage classes `PutOptions.tier` accepts (a store may refuse some: Ceph knows those it was configured with). */
export const S3_TIERS = ['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;

/**
 * Objects up to this size go in one PutObject with one Buffer body (never a stream: see
 * s3-client.ts); larger ones in 16 MiB parts. 32 MiB keeps a 16 MiB pack (with its header) a
 * single request, and makes an object of 32-64 MiB at least two parts uploading side by side.
 */
export const MULTIPART_THRESHOLD = 32 * 1024 * 1024;

/** DeleteObjects takes at most 1000 keys a request. */

export class S3Store implements ObjectStore {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  readonly location: S3Location;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly resendListeners: Array<() => void> = [];
  /** The bucket keeps versions (learnt from a delete marker, or from creating it with Object Lock). */
  private versioned = false;

  /** `location` is an `s3://` URL (see s3-url.ts for its options) or its parsed form. */
  constructor(location: S3Location | string, options: S3ClientOptions = {}) {
    this.location = typeof location === 'string' ? parseS3Url(location) : location;
    this.bucket = this.location.bucket;
    this.client = createS3Client(this.location, options);
    countResends(this.client, () => {
      for (const listener of this.resendListeners) listener();
    });
    const where = this.location.endpoint ? ` at ${this.location.endpoint}` : '';
    this.description = `S3 bucket ${this.bucket}${this.location.prefix ? ` prefix ${this.location.prefix}` : ''}${where}`;
    this.capabilities = { atomicCreate: this.location.atomicCreate, tiers: S3_TIERS, immutability: true, archiveTiers: S3_ARCHIVE_TIERS };
  }

  /** `listener` is called for each request the SDK itself sends again (a retry the wrappers do not see). */
  onResend(listener: () => void): void {
    this.resendListeners.push(listener);
  }

  async put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    const ifNotExists = options?.ifNotExists === true;
    const signal = options?.signal;
    const size = totalLength(body);
    const fullKey = this.fullKey(key);
    const storageClass = options?.tier !== undefined ? storageClassOf(options.tier, key) : undefined;
    const objectLock = options?.immutability ? objectLockOf(options.immutability) : undefined;
    try {
      const multipart = size > MULTIPART_THRESHOLD;
      // Where the store will not refuse an existing key itself (atomic-create=false, or Ceph's
      // CompleteMultipartUpload ignoring If-None-Match), look first: not atomic, but correct
      // whenever creators do not race.
      if (ifNotExists && (!this.location.atomicCreate || multipart) && (await this.exists(fullKey, signal))) {
        throw new ObjectExistsError(key);
      }
      const ifNoneMatch = ifNotExists && this.location.atomicCreate;
      if (multipart) {
        await uploadMultipart({
          client: this.client,
          bucket: this.bucket,
          key: fullKey,
          body,
          size,
          ifNoneMatch,
          ...(storageClass ? { storageClass } : {}),
          ...(objectLock ? { objectLock } : {}),
          ...(signal ? { signal } : {}),
        });
        return;
      }
      // One Buffer (a view when the body is one part): its length is known, so it is sent with a
      // Content-Length and no chunked framing.
      const single = body.length === 1 ? body[0]! : Buffer.concat(body, size);
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: fullKey,
          Body: single,
          ContentLength: size,
          ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}),
          ...(storageClass ? { StorageClass: storageClass } : {}),
          // S3 wants Content-MD5 (or a flexible checksum) on every put with a retention period.
          ...(objectLock
            ? { ObjectLockMode: objectLock.mode, ObjectLockRetainUntilDate: objectLock.until, ContentMD5: md5Base64(body) }
            : {}),
        }),
        signal ? { abortSignal: signal } : {},
      );
    } catch (err) {
      const failure = this.failure(err, 'put', key, signal, ifNotExists);
      // The SDK resent a create-once put whose first answer was lost: the 412 may be our own
      // first attempt. It counts as done when the stored object is exactly this body.
      if (failure instanceof ObjectExistsError && sdkAttempts(err) > 1 && (await this.holds(key, body))) return;
      throw failure;
    }
  }

  /** Whether `key` holds exactly the concatenation of `body`. */
  private async holds(key: string, body: readonly Uint8Array[]): Promise<boolean> {
    const stored = await this.get(key);
    if (stored.length !== totalLength(body)) return false;
    let off = 0;
    for (const part of body) {
      if (!stored.subarray(off, off + part.byteLength).equals(part)) return false;
      off += part.byteLength;
    }
    return true;
  }

  async get(key: string, options?: GetOptions): Promise<Buffer> {
    const range = options?.range;
    const signal = options?.signal;
    if (range) {
      const { offset, length } = range;
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
        throw new InvalidRangeError(`range ${offset}+${length} of object ${key} is not a valid byte range`);
      }
      // HTTP cannot ask for zero bytes: check the offset against the size instead.
      if (length === 0) {
        const { size } = await this.head(key);
        if (offset > size) throw new InvalidRangeError(`range ${offset}+0 is outside object ${key} of ${size} bytes`);
        return Buffer.alloc(0);
      }
    }
    let res: GetObjectCommandOutput;
    try {
      res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.fullKey(key),
          ...(range ? { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {}),
        }),
        signal ? { abortSignal: signal } : {},
      );
    } catch (err) {
      throw this.failure(err, 'get', key, signal);
    }
    try {
      return await readBody(res, key, range, signal, options?.into);
    } catch (err) {
      throw this.failure(err, 'get', key, signal);
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
      const until = res.ObjectLockRetainUntilDate?.getTime();
      return {
        key,
        size: res.ContentLength ?? 0,
        ...(until !== undefined && !Number.isNaN(until) ? { immutableUntil: until } : {}),
        archive: archiveStatusOf(res.StorageClass, res.Restore),
      };
    } catch (err) {
      throw translateS3Error(err, { op: 'head', key });
    }
  }

  async *list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    const full = this.location.prefix + prefix;
    const strip = this.location.prefix.length;
    const pages = listPages({
      client: this.client,
      bucket: this.bucket,
      prefix: full,
      listV1: this.location.listV1,
      ...(signal ? { signal } : {}),
    });
    for (;;) {
      let page: IteratorResult<readonly _Object[]>;
      try {
        page = await pages.next();
      } catch (err) {
        throw this.failure(err, 'list', `prefix '${prefix}'`, signal);
      }
      if (page.done) return;
      for (const o of page.value) {
        if (o.Key === undefined || !o.Key.startsWith(full)) continue;
        const modified = o.LastModified?.getTime();
        yield { key: o.Key.slice(strip), size: o.Size ?? 0, tier: o.StorageClass ?? 'STANDARD', ...(modified !== undefined ? { modifiedMs: modified } : {}) };
      }
    }
  }

  async delete(key: string): Promise<void> {
    if (this.versioned) return deleteVersions(this.deleteTarget, [key]);
    let marker: boolean;
    try {
      const res = await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
      marker = res.DeleteMarker === true;
    } catch (err) {
      const e = translateS3Error(err, { op: 'delete', key });
      if (!isNotFound(e)) throw e;
      return;
    }
    // A versioned bucket (every Object Lock bucket is) only hid the object behind a delete
    // marker: the data stays, billed. Delete its versions for real, the marker included.
    if (marker) {
      this.versioned = true;
      await deleteVersions(this.deleteTarget, [key]);
    }
  }

  /** Deletes every key in batches of 1000 (DeleteObjects); keys that do not exist are fine. */
  async deleteMany(keys: readonly string[]): Promise<void> {
    if (this.versioned) return deleteVersions(this.deleteTarget, keys);
    const markers: string[] = [];
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const deleted = await deleteBatch(this.deleteTarget, batch.map((k) => ({ key: k })));
      for (const d of deleted) if (d.DeleteMarker && d.Key) markers.push(d.Key.slice(this.location.prefix.length));
    }
    if (markers.length) {
      this.versioned = true;
      await deleteVersions(this.deleteTarget, markers);
    }
  }

  async extendImmutability(key: string, immutability: ObjectImmutability): Promise<void> {
    const { mode, until } = objectLockOf(immutability);
    try {
      // On the current version: objects are written once, so it is the only one.
      await this.client.send(new PutObjectRetentionCommand({ Bucket: this.bucket, Key: this.fullKey(key), Retention: { Mode: mode, RetainUntilDate: until } }));
    } catch (err) {
      throw translateS3Error(err, { op: 'extend immutability (Object Lock retention) of', key });
    }
  }

  /**
   * CopyObject of the object onto itself with the new storage class: S3 allows a copy in place
   * when the class changes. The bytes and the key stay; on a versioned bucket the old version
   * stays too (a delete of the key removes both). One request up to 5 GiB, far above a pack.
   */
  async setTier(key: string, tier: string): Promise<void> {
    const full = this.fullKey(key);
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: full,
          CopySource: `${this.bucket}/${full.split('/').map(encodeURIComponent).join('/')}`,
          StorageClass: storageClassOf(tier, key),
          MetadataDirective: 'COPY',
        }),
      );
    } catch (err) {
      throw translateS3Error(err, { op: 'set storage class of', key });
    }
  }

  /** RestoreObject: 202 started, 200 already restored (its expiry moved), 409 RestoreAlreadyInProgress. */
  async requestRestore(key: string, options: RestoreObjectOptions): Promise<RestoreRequestOutcome> {
    try {
      const res = await this.client.send(
        new RestoreObjectCommand({
          Bucket: this.bucket,
          Key: this.fullKey(key),
          RestoreRequest: { Days: options.days, GlacierJobParameters: { Tier: restoreTierOf(options.priority) } },
        }),
      );
      return res.$metadata.httpStatusCode === 200 ? 'restored' : 'requested';
    } catch (err) {
      const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
      const code = e.Code ?? e.name;
      if (code === 'RestoreAlreadyInProgress' || e.$metadata?.httpStatusCode === 409) return 'in-progress';
      throw translateS3Error(err, { op: 'restore', key });
    }
  }

  async ensureContainer(options?: ContainerOptions): Promise<void> {
    await ensureBucket(this.client, this.bucket, options?.immutability === true);
    if (options?.immutability) this.versioned = true;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async exists(fullKey: string, signal: AbortSignal | undefined): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: fullKey }), signal ? { abortSignal: signal } : {});
      return true;
    } catch (err) {
      if (isNotFound(translateS3Error(err, { op: 'head', key: fullKey }))) return false;
      throw err;
    }
  }

  private get deleteTarget(): DeleteTarget {
    return { client: this.client, bucket: this.bucket, prefix: this.location.prefix };
  }

  private fullKey(key: string): string {
    if (key === '') throw new StoreError('S3: an object key must not be empty');
    return this.location.prefix + key;
  }

  /** An aborted operation is reported as such (never retriable), whatever the socket said. */
  private failure(err: unknown, op: string, key: string, signal: AbortSignal | undefined, conditional = false): StoreError {
    if (signal?.aborted && !(err instanceof StoreError)) return new StoreError(`S3 ${op} ${key} aborted`, { cause: err });
    return translateS3Error(err, { op, key, conditional });
  }
}

/** Requests the SDK sent for one command (its own resends included). */
function sdkAttempts(err: unknown): number {
  return (err as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1;
}

function storageClassOf(tier: string, key: string): StorageClass {
  if (!(S3_TIERS as readonly string[]).includes(tier)) {
    throw new StoreError(`S3 put ${key}: unknown storage class ${tier} (known: ${S3_TIERS.join(', ')})`);
  }
  return tier as StorageClass;
}

function objectLockOf(r: ObjectImmutability): { mode: ObjectLockMode; until: Date } {
  return { mode: r.mode === 'compliance' ? 'COMPLIANCE' : 'GOVERNANCE', until: new Date(r.untilMs) };
}

function md5Base64(body: readonly Uint8Array[]): string {
  const h = createHash('md5');
  for (const part of body) h.update(part);
  return h.digest('base64');
}
