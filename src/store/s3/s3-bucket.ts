// Creating the bucket when it is missing (for `init`): look first, create when not found, and
// accept losing a creation race to ourselves. With Object Lock asked for, the bucket is created
// with it, and an existing bucket (or a store that ignored the request) without it is refused.
import { type BucketLocationConstraint, CreateBucketCommand, GetObjectLockConfigurationCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { ImmutabilityUnsupportedError, isNotFound } from '../object-store.js';
import { DEFAULT_REGION } from './s3-client.js';
import { translateS3Error } from './s3-errors.js';

export async function ensureBucket(client: S3Client, bucket: string, objectLock = false): Promise<void> {
  await createBucket(client, bucket, objectLock);
  if (objectLock) await checkObjectLock(client, bucket);
}

async function createBucket(client: S3Client, bucket: string, objectLock: boolean): Promise<void> {
  if (await bucketExists(client, bucket)) return;
  try {
    const region = await client.config.region();
    await client.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the one region named by leaving the constraint out.
        ...(region !== DEFAULT_REGION ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } } : {}),
        ...(objectLock ? { ObjectLockEnabledForBucket: true } : {}),
      }),
    );
  } catch (err) {
    const code = (err as { name?: string }).name;
    if (code === 'BucketAlreadyOwnedByYou') return;
    // Someone created it since we looked: ours if we can see it now, another account's otherwise.
    if (code === 'BucketAlreadyExists' && (await bucketExists(client, bucket))) return;
    throw translateS3Error(err, { op: 'create bucket', key: bucket });
  }
}

/** HeadBucket: 404 is "no such bucket"; 403 (another account's bucket, or no s3:ListBucket) is refused access. */
async function bucketExists(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (err) {
    const e = translateS3Error(err, { op: 'check bucket', key: bucket });
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Object Lock must be enabled on the bucket; any other answer (none configured, not implemented) refuses. */
async function checkObjectLock(client: S3Client, bucket: string): Promise<void> {
  let enabled: string | undefined;
  let why = '';
  try {
    const res = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    enabled = res.ObjectLockConfiguration?.ObjectLockEnabled;
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    // Refused access is the environment's problem, not the bucket's.
    if (e.$metadata?.httpStatusCode === 403) throw translateS3Error(err, { op: 'get object lock configuration of bucket', key: bucket });
    why = ` (${e.name ?? 'error'}${e.$metadata?.httpStatusCode ? `, HTTP ${e.$metadata.httpStatusCode}` : ''})`;
  }
  if (enabled !== 'Enabled') {
    throw new ImmutabilityUnsupportedError(
      `bucket ${bucket} has no S3 Object Lock${why}: immutability needs a bucket created with Object Lock enabled (use a new bucket name and init creates it so), on a store that implements it`,
    );
  }
}
