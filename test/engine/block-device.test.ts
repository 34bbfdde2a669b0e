// Block devices as source and target, through loop devices. Skipped (with the reason) where
// the machine does not let us attach one.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runJson, tempDir } from '../helpers/cli.js';
import { Rng } from '../helpers/random.js';

const MiB = 1024 * 1024;

function attach(file: string): string | null {
  try {
    return execFileSync('losetup', ['-f', '--show', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const probe = await tempDir();
await writeFile(join(probe.path, 'p'), Buffer.alloc(MiB));
const probeDev = attach(join(probe.path, 'p'));
if (probeDev) execFileSync('losetup', ['-d', probeDev]);
await probe.cleanup();
if (!probeDev) console.warn('block-device tests skipped: losetup cannot attach a loop device here (needs root and /dev/loop*)');

describe.skipIf(!probeDev)('block devices', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  const devices: string[] = [];
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => {
    for (const d of devices) execFileSync('losetup', ['-d', d]);
    await dir.cleanup();
  });

  it('backs up a device and restores onto a device full of old data, zeroing the holes', async () => {
    const rng = new Rng(77);
    // Source device: data, a hole, data.
    const image = Buffer.alloc(12 * MiB);
    rng.fill(image.subarray(0, 3 * MiB));
    rng.fill(image.subarray(7 * MiB, 12 * MiB - 4096));
    await writeFile(join(dir.path, 'src.img'), image);
    const src = attach(join(dir.path, 'src.img'))!;
    devices.push(src);
    // Target device: 16 MiB of random garbage that holes must not leave behind.
    await writeFile(join(dir.path, 'dst.img'), rng.bytes(16 * MiB));
    const dst = attach(join(dir.path, 'dst.img'))!;
    devices.push(dst);

    const repo = join(dir.path, 'repo');
    await runJson(['init', '--repo', repo]);
    const b = await runJson(['backup', '--repo', repo, '--volume', 'dev', '--source', src]);
    expect(b.size).toBe(12 * MiB);
    // Twice: on the main thread (a 12 MiB restore is small), then with the worker threads
    // forced on, which write and zero the device themselves. Garbage is put back in between.
    for (const env of [{}, { SNAPTIER_WORKERS: '2' }]) {
      await writeFile(dst, rng.bytes(16 * MiB));
      const r = await runJson(['restore', '--repo', repo, '--volume', 'dev', '--snapshot', 'latest', '--target', dst], env);
      expect(r.bytesWritten).toBe(12 * MiB);
      const back = await readFile(dst);
      expect(back.subarray(0, 12 * MiB).equals(image), JSON.stringify(env)).toBe(true);
    }
  });

  it('refuses a target device smaller than the snapshot with exit 2', async () => {
    await writeFile(join(dir.path, 'small.img'), Buffer.alloc(4 * MiB));
    const small = attach(join(dir.path, 'small.img'))!;
    devices.push(small);
    const repo = join(dir.path, 'repo');
    const r = await run(['restore', '--repo', repo, '--volume', 'dev', '--snapshot', 'latest', '--target', small]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(small);
  });
});
