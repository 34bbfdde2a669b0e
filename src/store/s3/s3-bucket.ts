// Creating the bucket when it is missing (for `init`): look first, create when not found, and
// accept losing a creation race to ourselves.
import { type BucketLocationConstraint, CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound } from '../object-store.js';
import { DEFAULT_REGION } from './s3-client.js';
import { translateS3Error } from './s3-errors.js';

export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  if (await bucketExists(client, bucket)) return;
  try {
    const region = await client.config.region();
    await client.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the one region named by leaving the constraint out.
        ...(region !== DEFAULT_REGION ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } } : {}),
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
