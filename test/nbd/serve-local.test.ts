// `snaptier serve` from a local repository, to clients nobody here wrote: nbdinfo (size, --map
// with holes), nbdcopy of a 96 MiB (or 200 MiB) snapshot bit-exact, qemu-img compare, qemu-io writes through
// an overlay (the repository unchanged), hydration while a client reads, and a damaged pack that
// fails the client's copy instead of handing it different bytes.
import { createHash } from 'node:crypto';
import { copyFile, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/cli.js';
import { sha256File, writeImage } from '../helpers/images.js';
import { copyRepo, listObjects, packBlobsEnd } from '../helpers/repo-files.js';
import { longOr } from '../helpers/long.js';
import { ok, serve, tool } from './serve-helpers.js';

const MiB = 1 << 20;
// Past the 64 MiB of proven segments a server keeps in memory by default, so the first test's
// bound on the cache means something, and several 16 MiB packs. (200 MiB under SNAPTIER_LONG=1.)
const SIZE = longOr(96, 200) * MiB;
/** Where a client writes during hydration: unaligned, in the second half of the volume. */
const HYDRATE_WRITE_AT = 75_000_000;

let tmp: { path: string; cleanup: () => Promise<void> };
let repo: string;
let image: string;
let imageSha: string;
/** The snapshot served (a later test adds another to the volume). */
let first: string;
/** The data packs of `first`: the later snapshot adds its own, which `first` does not read. */
let firstPacks: string[];
let n = 0;
const sock = () => join(tmp.path, `nbd-${n++}.sock`);

async function cli(args: string[]): Promise<any> {
  const r = await run([...args, '--json']);
  expect(r.code, `snaptier ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

/** A digest of every object of the repository, to show that serving wrote nothing to it. */
async function repoDigest(root: string): Promise<string> {
  const h = createHash('sha256');
  for (const key of [...(await listObjects(root)).keys()].sort()) h.update(key).update(await readFile(join(root, key)));
  return h.digest('hex');
}

beforeAll(async () => {
  tmp = await tempDir('snaptier-serve-');
  repo = join(tmp.path, 'repo');
  image = join(tmp.path, 'image');
  await cli(['init', '--repo', repo]);
  await writeImage(image, SIZE, 16);
  imageSha = await sha256File(image);
  first = (await cli(['backup', '--repo', repo, '--volume', 'vm1', '--source', image])).snapshot;
  firstPacks = [...(await listObjects(repo)).keys()].filter((k) => k.startsWith('data/')).sort();
}, 300_000);

afterAll(async () => {
  await tmp?.cleanup();
});

describe('serve a snapshot read-only', () => {
  it('shows its size and holes to nbdinfo, copies bit-exact with nbdcopy, and compares equal with qemu-img', async () => {
    const s = await serve(['--repo', repo, '--volume', 'vm1', '--snapshot', first], sock());
    try {
      const info = JSON.parse(await ok('nbdinfo', ['--json', s.uri]));
      expect(info.exports[0]['export-size']).toBe(SIZE);
      expect(info.exports[0].is_read_only).toBe(true);

      const map = JSON.parse(await ok('nbdinfo', ['--map', '--json', s.uri])) as Array<{ offset: number; length: number; type: number }>;
      expect(map.reduce((a, e) => a + e.length, 0)).toBe(SIZE);
      const holes = map.filter((e) => e.type & 1);
      expect(holes.length).toBeGreaterThan(5);
      // Every reported hole reads as zeros in the image.
      const fh = await open(image, 'r');
      try {
        for (const h of holes) {
          const b = Buffer.alloc(h.length);
          await fh.read(b, 0, h.length, h.offset);
          expect(
            b.every((x) => x === 0),
            `hole at ${h.offset}+${h.length}`,
          ).toBe(true);
        }
      } finally {
        await fh.close();
      }

      const copy = join(tmp.path, 'copy');
      await ok('nbdcopy', [s.uri, copy]);
      expect(await sha256File(copy)).toBe(imageSha);
      await rm(copy);
      await ok('qemu-img', ['compare', '-f', 'raw', '-F', 'raw', image, s.uri]);
    } finally {
      const { code, summary } = await s.stop();
      expect(code).toBe(0);
      expect(summary.served.bytesServed).toBeGreaterThan(0);
      expect(summary.served.errors).toBe(0);
      expect(summary.firstReadMs).toBeGreaterThan(0);
      expect(summary.cache.cachedBytes).toBeLessThanOrEqual(64 * MiB);
    }
  }, 300_000);
});

describe('serve --writable --overlay', () => {
  it('takes qemu-io writes into the overlay, reads them back merged, keeps them across restarts, and leaves the repository as it was', async () => {
    const before = await repoDigest(repo);
    const overlay = join(tmp.path, 'overlay');
    const args = ['--repo', repo, '--volume', 'vm1', '--snapshot', first, '--writable', '--overlay', overlay];
    let s = await serve(args, sock());
    try {
      await ok('qemu-io', [
        '-f',
        'raw',
        '-c',
        'write -P 0xab 1000000 70000',
        '-c',
        'write -z 5242880 1048576',
        '-c',
        'discard 20971520 65536',
        s.uri,
      ]);
      const read = await ok('qemu-io', [
        '-f',
        'raw',
        '-c',
        'read -P 0xab 1000000 70000',
        '-c',
        'read -P 0 5242880 1048576',
        '-c',
        'read -P 0 20971520 65536',
        s.uri,
      ]);
      expect(read).not.toMatch(/Pattern verification failed/);
    } finally {
      expect((await s.stop()).code).toBe(0);
    }
    // Served again over the same overlay: the writes are still there.
    s = await serve(args, sock());
    try {
      const copy = join(tmp.path, 'overlay-copy');
      await ok('nbdcopy', [s.uri, copy]);
      const expected = join(tmp.path, 'expected');
      await copyFile(image, expected);
      const fh = await open(expected, 'r+');
      await fh.write(Buffer.alloc(70000, 0xab), 0, 70000, 1000000);
      await fh.write(Buffer.alloc(MiB), 0, MiB, 5242880);
      await fh.write(Buffer.alloc(65536), 0, 65536, 20971520);
      await fh.close();
      expect(await sha256File(copy)).toBe(await sha256File(expected));
      await rm(expected);
    } finally {
      expect((await s.stop()).code).toBe(0);
    }
    expect(await repoDigest(repo)).toBe(before);

    // The changed volume, read through a client, backs up as the volume's next snapshot: only
    // the segments the writes touched are new.
    const copy = join(tmp.path, 'overlay-copy');
    const next = await cli(['backup', '--repo', repo, '--volume', 'vm1', '--source', copy]);
    expect(next.bytesUploaded).toBeLessThan(4 * MiB);
    const back = join(tmp.path, 'overlay-restored');
    await cli(['restore', '--repo', repo, '--volume', 'vm1', '--snapshot', next.snapshot, '--target', back]);
    expect(await sha256File(back)).toBe(await sha256File(copy));
    await rm(back);
    await rm(copy);
    // The overlay is sparse: it holds about what was written, not the volume.
    expect((await stat(overlay)).blocks * 512).toBeLessThan(8 * MiB);
  }, 300_000);
});

describe('serve --hydrate', () => {
  it('copies the whole snapshot into the target while a client reads and writes; the target is the volume at the end', async () => {
    const target = join(tmp.path, 'hydrated');
    const s = await serve(['--repo', repo, '--volume', 'vm1', '--snapshot', first, '--writable', '--hydrate', target], sock());
    let summary: any;
    try {
      const copy = join(tmp.path, 'hydrate-copy');
      await ok('qemu-io', ['-f', 'raw', '-c', `write -P 0x5a ${HYDRATE_WRITE_AT} 300000`, s.uri]);
      await ok('nbdcopy', [s.uri, copy]);
      await s.waitFor(/hydration of .* complete/);
      const expected = join(tmp.path, 'expected-h');
      await copyFile(image, expected);
      const fh = await open(expected, 'r+');
      await fh.write(Buffer.alloc(300000, 0x5a), 0, 300000, HYDRATE_WRITE_AT);
      await fh.close();
      const want = await sha256File(expected);
      expect(await sha256File(copy)).toBe(want);
      ({ summary } = await s.stop());
      expect(await sha256File(target)).toBe(want);
      await rm(expected);
      await rm(copy);
    } finally {
      if (!summary) await s.stop();
    }
    expect(summary.hydration).toMatchObject({ done: true, failed: null, bytesTotal: SIZE, bytesHydrated: SIZE });
    await expect(stat(`${target}.map`), 'a complete target keeps no map').rejects.toThrow();
  }, 300_000);
});

describe('a damaged pack', () => {
  it('fails the client for the damaged range (nbdcopy exits non-zero), serves the rest, and keeps running', async () => {
    const bad = join(tmp.path, 'repo-damaged');
    await copyRepo(repo, bad);
    // A pack of the snapshot served: a pack of the later snapshot (chosen by name, one time in
    // seven) left nbdcopy nothing to fail on.
    const path = join(bad, firstPacks[0]!);
    const pack = await readFile(path);
    const mid = Math.floor(packBlobsEnd(pack) / 2);
    for (let i = 0; i < 64; i++) pack[mid + i] = pack[mid + i]! ^ 0xff;
    await writeFile(path, pack);

    const s = await serve(['--repo', bad, '--volume', 'vm1', '--snapshot', first], sock());
    let served = false;
    try {
      const out = join(tmp.path, 'damaged-copy');
      const r = await tool('nbdcopy', [s.uri, out]);
      expect(r.code, 'nbdcopy of a damaged snapshot').not.toBe(0);
      // What nbdcopy did write is the image's bytes; the rest it never got (zeros).
      const got = await readFile(out);
      const want = await readFile(image);
      let differing = 0;
      for (let o = 0; o < SIZE; o += 4096) {
        const g = got.subarray(o, o + 4096);
        if (g.equals(want.subarray(o, o + 4096))) continue;
        expect(
          g.every((x) => x === 0),
          `block at ${o} holds bytes the snapshot does not`,
        ).toBe(true);
        differing++;
      }
      expect(differing).toBeGreaterThan(0);
      await rm(out, { force: true });

      // The server names the range it could not prove; a read there fails, one elsewhere succeeds.
      const line = await s.waitFor(/cannot prove bytes \d+-\d+/);
      const from = Number(/cannot prove bytes (\d+)-/.exec(line)![1]);
      const failing = await tool('qemu-io', ['-f', 'raw', '-r', '-c', `read ${from} 4096`, s.uri]);
      expect(`${failing.stdout}${failing.stderr}`).toMatch(/read failed/);
      const fine = await tool('qemu-io', ['-f', 'raw', '-r', '-c', `read ${SIZE - MiB} 65536`, s.uri]);
      expect(`${fine.stdout}${fine.stderr}`).not.toMatch(/failed/);
      served = true;
    } finally {
      const { code, summary, stderr } = await s.stop();
      // Checked only when the client side passed: an assertion here would hide its failure.
      if (served) {
        expect(code, stderr).toBe(0);
        expect(summary.served.errors, `${JSON.stringify(summary)}\n${stderr}`).toBeGreaterThan(0);
      }
    }
  }, 300_000);
});
