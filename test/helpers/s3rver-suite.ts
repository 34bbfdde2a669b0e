// One s3rver and one temporary folder for a test file: started before its tests, and after
// them every bucket the tests asked for is removed, the server stopped and the folder deleted.
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from './cli.js';
import { rawClient, removeBucket, uniqueBucket } from './s3-bucket.js';
import { type S3rverHandle, startS3rver } from './s3rver.js';

export interface S3rverSuite {
  server: S3rverHandle;
  /** The test file's temporary folder. */
  dir: string;
  /** The environment the CLI needs to reach the server. */
  env: Record<string, string>;
  /** A new bucket name, removed after the tests. */
  bucket(tag: string): string;
}

/** Call at the top of a describe block; the fields are set once its beforeAll has run. */
export function useS3rver(prefix: string): S3rverSuite {
  const buckets: string[] = [];
  let tmp: { path: string; cleanup: () => Promise<void> } | undefined;
  const suite = {
    bucket(tag: string): string {
      const b = uniqueBucket(tag);
      buckets.push(b);
      return b;
    },
  } as S3rverSuite;
  beforeAll(async () => {
    [suite.server, tmp] = await Promise.all([startS3rver(), tempDir(prefix)]);
    suite.dir = tmp.path;
    const c = suite.server.credentials;
    suite.env = { AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_REGION: 'us-east-1' };
  });
  afterAll(async () => {
    if (suite.server) {
      const client = rawClient(suite.server);
      for (const b of buckets) await removeBucket(client, b).catch(() => {});
      client.destroy();
      await suite.server.stop();
    }
    await tmp?.cleanup();
  });
  return suite;
}
