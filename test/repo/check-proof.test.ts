// check --read-data proves every snapshot the way restore does: a snapshot whose map leaf names
// authentic data but fingerprints that do not describe it (what older versions committed when a
// change hint lied) is reported by snapshot and byte range, though every pack authenticates.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafDigest } from '../../src/engine/fingerprint.js';
import { NodeReader, NodeWriter } from '../../src/engine/node-store.js';
import { Codec, LocalStore, Repository, backupVolume, checkRepository, listSnapshots } from '../../src/index.js';
import { commitManifest, describe as describeSnapshot } from '../../src/repo/catalog.js';
import { tempDir } from '../helpers/cli.js';
import { Rng } from '../helpers/random.js';

describe('check --read-data', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let repo: Repository;

  beforeAll(async () => {
    dir = await tempDir('snaptier-check-proof-');
    repo = await Repository.init(new LocalStore(join(dir.path, 'repo')), { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10 });
    const image = join(dir.path, 'img');
    await writeFile(image, new Rng(5).bytes(1 << 20)); // one segment: the root is a leaf
    await backupVolume(repo, { volume: 'v', source: image });
  });
  afterAll(() => dir?.cleanup());

  it('passes a sound repository and reports a snapshot whose leaf disagrees with its data', async () => {
    expect(await checkRepository(repo, { readData: true })).toMatchObject({ ok: true, errors: [] });

    const [good] = await listSnapshots(repo, 'v');
    const m = good!.manifest;
    const leaf = await new NodeReader(repo).leaf(m.root!);
    const fingerprints = Buffer.from(leaf.fingerprints);
    fingerprints[3 * 16]! ^= 1; // the fourth 16 KiB block: bytes 49152-65535
    const writer = new NodeWriter(repo);
    const blob = await writer.writeLeaf({ ...leaf, fingerprints });
    await writer.flush();
    const digest = leafDigest(fingerprints);
    const bad = { ...m, id: randomBytes(16), parent: m.id, timeMs: m.timeMs + 1, root: { blob, digest }, imageDigest: digest, packs: writer.packs };
    await commitManifest(repo, bad);

    const quick = await checkRepository(repo, { readData: false });
    expect(quick.ok).toBe(true); // every object is there and decodes: only a rebuild sees it
    const full = await checkRepository(repo, { readData: true });
    expect(full.ok).toBe(false);
    expect(full.errors).toEqual([expect.stringContaining(`${describeSnapshot(bad)} would not restore: cannot prove bytes 49152-65535`)]);
  });
});
