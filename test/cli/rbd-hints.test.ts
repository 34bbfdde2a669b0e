// A nightly RBD job whose previous backup failed: the change list `rbd diff --from-snap s2` is
// relative to s2, which never reached the repository (latest is s1). Stating the base makes that
// an error; without it, the hint check finds the list wrong and the backup is still exact.
// Runs on the one-node Ceph cluster the suites start (rbd comes with ceph-common).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CEPH_PACKAGES, type CephCluster, canStartCeph, onPath, startCeph } from '../helpers/ceph.js';
import { BIN, run, runJson, tempDir } from '../helpers/cli.js';
import { sha256File, writeImage } from '../helpers/images.js';

const exec = promisify(execFile);
const canStart = canStartCeph() && onPath('rbd');
const MiB = 1 << 20;

if (!canStart) {
  console.log(`rbd-hints.test.ts skipped: Ceph and rbd not installed: ${CEPH_PACKAGES}`);
  describe.skip('change lists from rbd diff', () => {
    it(`needs Ceph (${CEPH_PACKAGES})`, () => {});
  });
} else {
  describe('change lists from rbd diff', () => {
    let cluster: CephCluster;
    let tmp: { path: string; cleanup: () => Promise<void> };
    const rbd = (...args: string[]) => exec('rbd', ['-c', cluster.conf, ...args], { maxBuffer: 64 * MiB });
    const p = (n: string) => join(tmp.path, n);

    beforeAll(async () => {
      tmp = await tempDir('snaptier-rbd-');
      cluster = await startCeph();
      await exec('ceph', ['-c', cluster.conf, 'osd', 'pool', 'create', 'rbd', '8']);
      await rbd('pool', 'init', 'rbd');
    }, 400_000);
    afterAll(async () => {
      await cluster?.stop();
      await tmp?.cleanup();
    });

    /**
     * 256 random writes of `ioSize` bytes into the image, as a busy volume sees between snapshots.
     * `rbd bench` draws its offsets from a generator we cannot seed. With two equal runs, one CI
     * run found the s2 -> s3 list right (400 blocks sampled, none differing, where a quarter of
     * the blocks had changed since s1): both runs had written the same offsets. Different write
     * sizes give different offsets whatever it draws.
     */
    const churn = (ioSize: number) =>
      rbd('bench', '--io-type', 'write', '--io-size', String(ioSize), '--io-threads', '1', '--io-total', String(256 * ioSize), '--io-pattern', 'rand', 'rbd/vol');

    it('s1 backed up, s2 skipped, s3 with the list from s2: --base s2 exits 2; without it the backup falls back and restores equal to rbd export', async () => {
      const repo = p('repo');
      expect((await run(['init', '--repo', repo])).code).toBe(0);
      const seedImg = p('seed.img');
      await writeImage(seedImg, 16 * MiB, 71);
      await rbd('import', seedImg, 'rbd/vol');
      await rbd('snap', 'create', 'rbd/vol@s1');
      await rbd('export', 'rbd/vol@s1', p('s1.img'));
      const s1 = await runJson(['backup', '--repo', repo, '--volume', 'vol', '--source', p('s1.img'), '--source-id', 'rbd/vol@s1']);

      await churn(8192);
      await rbd('snap', 'create', 'rbd/vol@s2'); // its backup "failed": never reaches the repository
      await churn(4096);
      await rbd('snap', 'create', 'rbd/vol@s3');
      await rbd('export', 'rbd/vol@s3', p('s3.img'));
      const { stdout } = await rbd('diff', '--from-snap', 's2', 'rbd/vol@s3', '--format', 'json');
      const extents = (JSON.parse(stdout) as Array<{ offset: number; length: number }>).map(({ offset, length }) => ({ offset, length }));
      expect(extents.length).toBeGreaterThan(0);
      const list = p('s2-to-s3.json');
      await writeFile(list, JSON.stringify(extents));

      const stated = await run(['backup', '--repo', repo, '--volume', 'vol', '--source', p('s3.img'), '--changed-extents', list, '--base', 'rbd/vol@s2']);
      expect(stated.code).toBe(2);
      expect(stated.stderr).toContain('--base rbd/vol@s2');

      const doc = await runJson(['backup', '--repo', repo, '--volume', 'vol', '--source', p('s3.img'), '--changed-extents', list, '--source-id', 'rbd/vol@s3']);
      expect(doc.parent).toBe(s1.snapshot);
      expect(doc.hints).toMatchObject({ mode: 'sample', fellBack: true });
      const restored = p('s3-restored.img');
      expect((await run(['restore', '--repo', repo, '--volume', 'vol', '--snapshot', doc.snapshot, '--target', restored])).code).toBe(0);
      expect(await sha256File(restored)).toBe(await sha256File(p('s3.img')));

      // The same list with the data streamed from `rbd export -`: every fingerprint is compared.
      const sh = `rbd -c '${cluster.conf}' export rbd/vol@s3 - | '${process.execPath}' '${BIN}' backup --repo '${repo}' --volume vol --base '${s1.snapshot}' --source - --changed-extents '${list}' --json`;
      const { stdout: streamed } = await exec('bash', ['-o', 'pipefail', '-c', sh], {
        env: { ...process.env, SNAPTIER_PASSWORD: 'test-password' },
        maxBuffer: 16 * MiB,
      });
      const s = JSON.parse(streamed);
      expect(s.parent).toBe(s1.snapshot);
      expect(s.hints).toMatchObject({ mode: 'full', fellBack: true });
      const restored2 = p('s3-streamed.img');
      expect((await run(['restore', '--repo', repo, '--volume', 'vol', '--snapshot', s.snapshot, '--target', restored2])).code).toBe(0);
      expect(await sha256File(restored2)).toBe(await sha256File(p('s3.img')));
    }, 300_000);
  });
}
