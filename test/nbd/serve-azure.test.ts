// `snaptier serve` from an Azure Blob repository (Azurite): a snapshot copied bit-exact by
// nbdcopy, holes reported to nbdinfo --map, and qemu-img compare equal.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Azurite, startAzurite } from '../helpers/azurite.js';
import { run, tempDir } from '../helpers/cli.js';
import { sha256File, writeImage } from '../helpers/images.js';
import { ok, serve } from './serve-helpers.js';

const MiB = 1 << 20;
const SIZE = 64 * MiB;

let tmp: { path: string; cleanup: () => Promise<void> };
let azurite: Azurite;
let env: Record<string, string>;
let repo: string;
let image: string;

async function cli(args: string[]): Promise<any> {
  const r = await run([...args, '--json'], env);
  expect(r.code, `snaptier ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  tmp = await tempDir('snaptier-serve-azure-');
  azurite = await startAzurite();
  env = { AZURE_STORAGE_KEY: azurite.key };
  repo = `azure://serve/repo?account=${azurite.account}&endpoint=${encodeURIComponent(azurite.endpoint)}`;
  image = join(tmp.path, 'image');
  await cli(['init', '--repo', repo]);
  await writeImage(image, SIZE, 31);
  await cli(['backup', '--repo', repo, '--volume', 'vm3', '--source', image]);
}, 300_000);

afterAll(async () => {
  await azurite?.stop();
  await tmp?.cleanup();
});

describe('serve from Azure', () => {
  it('copies a snapshot bit-exact with nbdcopy, maps its holes, and compares equal with qemu-img', async () => {
    const s = await serve(['--repo', repo, '--volume', 'vm3', '--snapshot', 'latest'], join(tmp.path, 'nbd.sock'), env);
    let summary: any;
    try {
      const map = JSON.parse(await ok('nbdinfo', ['--map', '--json', s.uri])) as Array<{ length: number; type: number }>;
      expect(map.reduce((a, e) => a + e.length, 0)).toBe(SIZE);
      expect(map.some((e) => e.type & 1)).toBe(true);
      const copy = join(tmp.path, 'copy');
      await ok('nbdcopy', [s.uri, copy]);
      expect(await sha256File(copy)).toBe(await sha256File(image));
      await ok('qemu-img', ['compare', '-f', 'raw', '-F', 'raw', image, s.uri]);
    } finally {
      const stopped = await s.stop();
      expect(stopped.code, stopped.stderr).toBe(0);
      summary = stopped.summary;
    }
    expect(summary.served.errors).toBe(0);
  }, 300_000);
});
