// The S3 adapter against s3rver, a real HTTP server in a child process: the shared ObjectStore
// contract (with a key prefix and ListObjectsV2, and at the bucket root with ListObjects v1), then
// what only S3 can get wrong, then the engine suite (random chains restored bit-exact at every
// point in time) on a bucket of its own. s3rver ignores If-None-Match, so these stores declare
// atomic-create=false and the concurrent-creators test does not apply; its in-place object writes
// are made atomic by the helper (s3rver-main.cjs), as on every real S3.
import { afterAll, beforeAll } from 'vitest';
import { S3Store } from '../../src/store/s3/s3-store.js';
import { describeEngineSuite } from '../engine/engine-suite.js';
import { rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { type S3rverHandle, startS3rver } from '../helpers/s3rver.js';
import { describeStoreContract } from './contract.js';
import { SERVER_CHAINS } from './engine-chains.js';
import { describeS3Behaviour } from './s3-behaviour.js';

let server: S3rverHandle;
beforeAll(async () => {
  server = await startS3rver();
});
afterAll(async () => {
  await server?.stop();
});

function contractStore(path: string, options: string) {
  return async () => {
    const bucket = uniqueBucket('c');
    const store = new S3Store(`s3://${bucket}${path}?endpoint=${encodeURIComponent(server.endpoint)}&atomic-create=false${options}`, {
      credentials: server.credentials,
    });
    const client = rawClient(server);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await removeBucket(client, bucket);
        client.destroy();
      },
    };
  };
}

describeStoreContract('S3Store on s3rver, under a prefix, ListObjectsV2', contractStore('/repos/r1', ''));
describeStoreContract('S3Store on s3rver, bucket root, ListObjects v1', contractStore('', '&list-v1=true'));

describeS3Behaviour('S3Store on s3rver', () => ({ ...server, atomicCreate: false }));

describeEngineSuite('S3Store on s3rver', contractStore('/repo', ''), SERVER_CHAINS);
