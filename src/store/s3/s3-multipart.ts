// Multipart upload of one object already held in memory as a list of parts: fixed-size S3 parts
// cut from the body (views where a part lies inside one input buffer, a copy where it straddles
// two), a few in flight pulled from one shared iterator, and an abort of the upload on any
// failure so no invisible parts are left to be billed. Memory <= PARTS_IN_FLIGHT x partSize of
// copies beyond the body itself.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  type ObjectLockMode,
  type S3Client,
  type StorageClass,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

const MiB = 1024 * 1024;
/** 16 MiB: one pack per part, ~4 parts of a 64 MiB object; S3's minimum is 5 MiB. */
export const PART_SIZE = 16 * MiB;
/** S3 allows at most 10,000 parts; larger objects get proportionally larger parts. */
const MAX_PARTS = 10_000;
/** Parts uploading at once: 4 x 16 MiB keeps a 64 MiB object on one round of requests. */
const PARTS_IN_FLIGHT = 4;

export interface MultipartRequest {
  client: S3Client;
  bucket: string;
  key: string;
  body: readonly Uint8Array[];
  size: number;
  storageClass?: StorageClass;
  /** Object Lock of the object, set when the upload is created. */
  objectLock?: { mode: ObjectLockMode; until: Date };
  /** Sent on CompleteMultipartUpload; stores that ignore it there (Ceph 16) need a HEAD first. */
  ifNoneMatch?: boolean;
  signal?: AbortSignal;
}

export async function uploadMultipart(req: MultipartRequest): Promise<void> {
  const { client, bucket, key, signal } = req;
  const opts = signal ? { abortSignal: signal } : {};
  const created = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ...(req.storageClass ? { StorageClass: req.storageClass } : {}),
      ...(req.objectLock ? { ObjectLockMode: req.objectLock.mode, ObjectLockRetainUntilDate: req.objectLock.until } : {}),
    }),
    opts,
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error('CreateMultipartUpload returned no UploadId');
  try {
    const partSize = Math.max(PART_SIZE, Math.ceil(req.size / MAX_PARTS));
    const count = Math.max(1, Math.ceil(req.size / partSize));
    const done: CompletedPart[] = new Array(count);
    let next = 0;
    // The first failure stops every worker from taking another part; all settle before the abort.
    let failure: { err: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (!failure && next < count) {
        const n = next++;
        const start = n * partSize;
        const part = slice(req.body, start, Math.min(req.size, start + partSize));
        try {
          const res = await client.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId: uploadId,
              PartNumber: n + 1,
              Body: part,
              ContentLength: part.byteLength,
            }),
            opts,
          );
          done[n] = { PartNumber: n + 1, ...(res.ETag ? { ETag: res.ETag } : {}) };
        } catch (err) {
          failure ??= { err };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, count) }, worker));
    if (failure) throw failure.err;
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: done },
        ...(req.ifNoneMatch ? { IfNoneMatch: '*' } : {}),
      }),
      opts,
    );
  } catch (err) {
    // Best effort: the caller's error is the one that matters; a failed abort leaves parts that a
    // bucket lifecycle rule (AbortIncompleteMultipartUpload) removes.
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => {});
    throw err;
  }
}

/** Bytes [start, end) of the concatenation of `parts`: a view when one part holds them all. */
export function slice(parts: readonly Uint8Array[], start: number, end: number): Uint8Array {
  const pieces: Uint8Array[] = [];
  let pos = 0;
  for (const p of parts) {
    const pEnd = pos + p.byteLength;
    if (pEnd > start && pos < end) pieces.push(p.subarray(Math.max(0, start - pos), Math.min(p.byteLength, end - pos)));
    pos = pEnd;
    if (pos >= end) break;
  }
  if (pieces.length === 1) return pieces[0]!;
  return Buffer.concat(pieces, end - start);
}
