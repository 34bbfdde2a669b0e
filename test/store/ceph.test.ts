// The S3 adapter against Ceph RGW, the real-S3 conformance run: signatures and Content-MD5 are
// verified and If-None-Match is enforced, so the concurrent-creators test runs here. Uses the
// gateway at CEPH_S3_ENDPOINT when set (credentials from the AWS environment), else starts one
// when the Ceph binaries are installed, else is skipped with the command that installs them.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { S3Store } from '../../src/store/s3/s3-store.js';
import { CEPH_PACKAGES, type CephCluster, onPath, startCeph } from '../helpers/ceph.js';
import { type S3Server, rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { describeStoreContract } from './contract.js';
import { describeS3Behaviour } from './s3-behaviour.js';

const external = process.env.CEPH_S3_ENDPOINT;
const canStart = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph'].every(onPath);

if (!external && !canStart) {
  console.log(`ceph.test.ts skipped: Ceph RGW not installed: ${CEPH_PACKAGES}`);
  describe.skip('S3Store on Ceph RGW', () => {
    it(`needs Ceph RGW (${CEPH_PACKAGES}) or CEPH_S3_ENDPOINT`, () => {});
  });
} else {
  let cluster: CephCluster | undefined;
  let server: S3Server;

  beforeAll(async () => {
    if (!external) {
      cluster = await startCeph();
      // The adapter takes credentials and region from the standard AWS chain: here, the environment.
      Object.assign(process.env, cluster.env);
    }
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, CEPH_S3_ENDPOINT: endpoint } = process.env;
    if (!accessKeyId || !secretAccessKey || !endpoint) {
      throw new Error('CEPH_S3_ENDPOINT needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment');
    }
    server = { endpoint, credentials: { accessKeyId, secretAccessKey } };
  }, 300_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  describeStoreContract('S3Store on Ceph RGW', async () => {
    const bucket = uniqueBucket('c');
    // No credentials given: the default AWS provider chain finds them in the environment.
    const store = new S3Store(`s3://${bucket}/repo?endpoint=${encodeURIComponent(server.endpoint)}`);
    const client = rawClient(server);
    return {
      store,
      cleanup: async () => {
        await store.close();
        // Ceph keeps objects in memory here: remove each test's bucket as soon as it is done.
        await removeBucket(client, bucket);
        client.destroy();
      },
    };
  });

  describeS3Behaviour('S3Store on Ceph RGW', () => ({ ...server, atomicCreate: true }));
}
