// An ext4 volume served by snaptier and mounted by the kernel: nbdfuse turns the export into a
// file, losetup into a block device, mount -o ro into a file system, and a file read from it is
// the file that was put in. Needs root, /dev/fuse and loop devices; skipped, saying which is
// missing, where the machine does not permit them.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, watch } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/cli.js';
import { ok, serve, tool } from './serve-helpers.js';

let tmp: { path: string; cleanup: () => Promise<void> };
const undo: Array<() => Promise<unknown>> = [];

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  if (!existsSync('/dev/fuse')) return 'no /dev/fuse';
  if (!existsSync('/dev/loop-control')) return 'no /dev/loop-control';
  for (const c of ['nbdfuse', 'losetup', 'mkfs.ext4', 'mount', 'umount']) {
    try {
      execFileSync('which', [c], { stdio: 'ignore' });
    } catch {
      return `no ${c}`;
    }
  }
  return null;
}

/** Resolves once `path` exists (fs.watch on its directory, no polling). */
function appears(path: string): Promise<void> {
  return new Promise((resolve) => {
    const w = watch(join(path, '..'), () => {
      if (existsSync(path)) {
        w.close();
        resolve();
      }
    });
    if (existsSync(path)) {
      w.close();
      resolve();
    }
  });
}

beforeAll(async () => {
  tmp = await tempDir('snaptier-serve-fuse-');
});

afterAll(async () => {
  for (const u of undo.reverse()) await u().catch(() => {});
  await tmp?.cleanup();
});

describe('serve to the kernel through nbdfuse and a loop device', () => {
  it('mounts an ext4 volume read-only and reads a file from it', async (ctx) => {
    const why = missing();
    if (why) return ctx.skip(`nbdfuse/loop/mount not permitted here: ${why}`);
    const content = join(tmp.path, 'content');
    await mkdir(content);
    const file = Buffer.concat([randomBytes(3 << 20), Buffer.from('the end\n')]);
    await writeFile(join(content, 'payload.bin'), file);
    const image = join(tmp.path, 'ext4.img');
    execFileSync('truncate', ['-s', '64M', image]);
    execFileSync('mkfs.ext4', ['-q', '-d', content, image]);
    const repo = join(tmp.path, 'repo');
    for (const args of [
      ['init', '--repo', repo],
      ['backup', '--repo', repo, '--volume', 'fs1', '--source', image],
    ]) {
      const r = await run(args);
      expect(r.code, r.stderr).toBe(0);
    }
    const s = await serve(['--repo', repo, '--volume', 'fs1', '--snapshot', 'latest'], join(tmp.path, 'nbd.sock'));
    undo.push(() => s.stop());

    const fuse = join(tmp.path, 'fuse');
    const mnt = join(tmp.path, 'mnt');
    await mkdir(fuse);
    await mkdir(mnt);
    const pidfile = join(tmp.path, 'nbdfuse.pid');
    const nbdfuse = spawn('nbdfuse', ['-r', '-P', pidfile, join(fuse, 'disk'), '--unix', s.socket], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let fuseErr = '';
    nbdfuse.stderr.on('data', (d) => (fuseErr += d));
    const fuseExit = new Promise<number | null>((resolve) => nbdfuse.on('close', resolve));
    const ready = await Promise.race([appears(pidfile).then(() => true), fuseExit.then(() => false)]);
    if (!ready) return ctx.skip(`nbdfuse could not mount here: ${fuseErr.trim()}`);
    undo.push(async () => {
      await tool('umount', [fuse]);
      await fuseExit;
    });

    const loop = await tool('losetup', ['-f', '--show', '-r', join(fuse, 'disk')]);
    if (loop.code !== 0) return ctx.skip(`loop devices not permitted here: ${loop.stderr.trim()}`);
    const dev = loop.stdout.trim();
    undo.push(() => tool('losetup', ['-d', dev]));
    const mounted = await tool('mount', ['-o', 'ro', dev, mnt]);
    if (mounted.code !== 0) return ctx.skip(`mount not permitted here: ${mounted.stderr.trim()}`);
    undo.push(() => ok('umount', [mnt]));

    expect((await readFile(join(mnt, 'payload.bin'))).equals(file)).toBe(true);
  }, 300_000);
});
