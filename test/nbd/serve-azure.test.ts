// `snaptier serve` from an Azure Blob repository (Azurite): a snapshot copied bit-exact by
// nbdcopy, holes reported to nbdinfo --map, and qemu-img compare equal.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256File } from '../helpers/images.js';
import { useRepoOnServer } from '../helpers/repo-on-server.js';
import { ok, serve } from './serve-helpers.js';

const MiB = 1 << 20;
const SIZE = 64 * MiB;

const r = useRepoOnServer({ server: 'azurite', volume: 'vm3', size: SIZE, seed: 31 });

describe('serve from Azure', () => {
  it('copies a snapshot bit-exact with nbdcopy, maps its holes, and compares equal with qemu-img', async () => {
    const s = await serve(['--repo', r.repo, '--volume', 'vm3', '--snapshot', 'latest'], join(r.dir, 'nbd.sock'), r.env);
    let summary: any;
    try {
      const map = JSON.parse(await ok('nbdinfo', ['--map', '--json', s.uri])) as Array<{ length: number; type: number }>;
      expect(map.reduce((a, e) => a + e.length, 0)).toBe(SIZE);
      expect(map.some((e) => e.type & 1)).toBe(true);
      const copy = join(r.dir, 'copy');
      await ok('nbdcopy', [s.uri, copy]);
      expect(await sha256File(copy)).toBe(await sha256File(r.image));
      await ok('qemu-img', ['compare', '-f', 'raw', '-F', 'raw', r.image, s.uri]);
    } finally {
      const stopped = await s.stop();
      expect(stopped.code, stopped.stderr).toBe(0);
      summary = stopped.summary;
    }
    expect(summary.served.errors).toBe(0);
  }, 300_000);
});
