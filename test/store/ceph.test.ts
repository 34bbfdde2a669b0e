// The S3 adapter against Ceph RGW, the real-S3 conformance run: signatures and Content-MD5 are
// verified and If-None-Match is enforced, so the concurrent-creators test runs here; then the
// engine suite (random chains restored bit-exact at every point in time). Uses the
// gateway at CEPH_S3_ENDPOINT when set (credentials from the AWS environment), else starts one
// when the Ceph binaries are installed, else is skipped with the command that installs them
// (or fails, under SNAPTIER_REQUIRE_CEPH=1, as .ci/run sets it).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { S3Store } from '../../src/store/s3/s3-store.js';
import { describeEngineSuite } from '../engine/engine-suite.js';
import { CEPH_PACKAGES, type CephCluster, canStartCeph, startCeph } from '../helpers/ceph.js';
import { type S3Server, rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { describeStoreContract } from './contract.js';
import { CEPH_CHAINS } from './engine-chains.js';
import { describeS3Behaviour } from './s3-behaviour.js';

const external = process.env.CEPH_S3_ENDPOINT;
const canStart = canStartCeph();

if (!external && !canStart && process.env.SNAPTIER_REQUIRE_CEPH === '1') {
  // .ci/run installs Ceph and sets this: there, a missing Ceph is a failure, not a skip.
  describe('S3Store on Ceph RGW', () => {
    it('is required here (SNAPTIER_REQUIRE_CEPH=1) but Ceph RGW is not installed', () => {
      throw new Error(`Ceph RGW binaries not found on PATH: ${CEPH_PACKAGES}`);
    });
  });
} else if (!external && !canStart) {
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
  }, 900_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  /** A store on a new bucket of its own, which cleanup removes: Ceph keeps objects in memory here. */
  async function bucketStore() {
    const bucket = uniqueBucket('c');
    // No credentials given: the default AWS provider chain finds them in the environment.
    const store = new S3Store(`s3://${bucket}/repo?endpoint=${encodeURIComponent(server.endpoint)}`);
    const client = rawClient(server);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await removeBucket(client, bucket);
        client.destroy();
      },
    };
  }

  describeStoreContract('S3Store on Ceph RGW', bucketStore);

  describeS3Behaviour('S3Store on Ceph RGW', () => ({ ...server, atomicCreate: true }));

  describeEngineSuite('S3Store on Ceph RGW', bucketStore, CEPH_CHAINS);
}
