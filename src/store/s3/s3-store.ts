// The S3 adapter: an ObjectStore over one bucket and key prefix of AWS S3 or an S3-compatible
// store (Ceph RGW, MinIO, s3rver). URL options are documented in s3-url.ts, client settings in
// s3-client.ts. Every SDK failure is translated in s3-errors.ts; this adapter never retries on its
// own (nor lets the SDK, unless maxAttempts asks), it marks errors retriable for the retry wrapper.
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  type StorageClass,
  type _Error,
  type _Object,
} from '@aws-sdk/client-s3';
import {
  InvalidRangeError,
  ObjectExistsError,
  StoreError,
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
const DELETE_BATCH = 1000;

export class S3Store implements ObjectStore {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  readonly location: S3Location;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly resendListeners: Array<() => void> = [];

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
    this.capabilities = { atomicCreate: this.location.atomicCreate, tiers: S3_TIERS };
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
      return await readBody(res, key, range, signal);
    } catch (err) {
      throw this.failure(err, 'get', key, signal);
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
      return { key, size: res.ContentLength ?? 0 };
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
        yield { key: o.Key.slice(strip), size: o.Size ?? 0 };
      }
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
    } catch (err) {
      const e = translateS3Error(err, { op: 'delete', key });
      if (!isNotFound(e)) throw e;
    }
  }

  /** Deletes every key in batches of 1000 (DeleteObjects); keys that do not exist are fine. */
  async deleteMany(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      let errors: readonly _Error[];
      try {
        const res = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((k) => ({ Key: this.fullKey(k) })), Quiet: true },
          }),
        );
        errors = res.Errors ?? [];
      } catch (err) {
        throw translateS3Error(err, { op: 'delete', key: `${batch.length} objects from ${batch[0]}` });
      }
      const failed = errors.find((e) => e.Code !== 'NoSuchKey');
      if (failed) {
        const key = failed.Key?.slice(this.location.prefix.length) ?? '(unnamed)';
        const cause = Object.assign(new Error(failed.Message ?? failed.Code ?? 'error'), { name: failed.Code ?? 'Error' });
        throw translateS3Error(cause, { op: 'delete', key });
      }
    }
  }

  async ensureContainer(): Promise<void> {
    await ensureBucket(this.client, this.bucket);
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
