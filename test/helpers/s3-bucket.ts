// Test-side access to an S3 server without the adapter under test: a plain SDK client to look at
// what was stored, unique bucket names, and removal of a bucket with everything in it.
import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  S3Client,
} from '@aws-sdk/client-s3';

export interface S3Server {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function rawClient(server: S3Server): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    credentials: server.credentials,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A bucket name no other test (or earlier run on a persistent server) uses. */
export function uniqueBucket(tag: string): string {
  return `snaptier-${tag}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Removes every object, every unfinished multipart upload and then the bucket; a missing bucket is fine. */
export async function removeBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    for (;;) {
      // Always the first page: each round deletes what it listed.
      const page = await client.send(new ListObjectsCommand({ Bucket: bucket }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length === 0) break;
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    }
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket })).catch(() => ({ Uploads: [] }));
    for (const u of uploads.Uploads ?? []) {
      if (u.Key && u.UploadId) await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchBucket') return;
    throw err;
  }
}
