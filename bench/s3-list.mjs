// What a bucket prefix holds (key -> size), listed straight from the gateway, not through the
// counting proxy, so the bench's own listings are never counted as a tool's requests.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

export function bucketLister(endpoint, env) {
  const client = new S3Client({
    endpoint,
    region: env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  /** `repo`: a snaptier s3:// URL or a restic s3:http://host:port/ location: bucket/prefix of it. */
  async function list(repo) {
    const where = repo.startsWith('s3://') ? repo.slice(5).split('?')[0] : new URL(repo.slice(3)).pathname.replace(/^\/+/, '');
    const [bucket, ...rest] = where.replace(/\/+$/, '').split('/');
    const prefix = rest.length ? `${rest.join('/')}/` : '';
    const files = new Map();
    let token;
    do {
      let page;
      try {
        page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      } catch (e) {
        if (e.name === 'NoSuchBucket') return files;
        throw e;
      }
      for (const o of page.Contents ?? []) files.set(o.Key, o.Size ?? 0);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return files;
  }
  return { list, close: () => client.destroy() };
}
