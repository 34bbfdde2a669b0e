// How a restore proves what it writes. A segment stored as one whole chunk is proven by the
// chunk's seal (AES-GCM, or the SHA-256 of a plain repository) without hashing its blocks again,
// so a flipped byte in such a chunk must still fail the restore with an IntegrityError naming
// the bytes, encrypted or not; `check --read-data` still checks every block against the map.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, IntegrityError, Repository, backupVolume, restoreSnapshot } from '../../../src/index.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { tempDir } from '../../helpers/cli.js';
import { Rng } from '../../helpers/random.js';
import { packBlobsEnd } from '../../helpers/repo-files.js';

describe('restore proof', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('snaptier-restore-proof-');
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it.each([
    { encrypted: true, codec: Codec.None },
    { encrypted: false, codec: Codec.None },
    { encrypted: true, codec: Codec.Zstd },
  ])('a flipped byte in a segment that is one chunk fails the restore (encrypted $encrypted, codec $codec)', async ({ encrypted, codec }) => {
    const rng = new Rng(encrypted ? 41 : 42);
    const store = new MemoryStore();
    const segmentSize = 65536;
    const repo = await Repository.init(store, { password: encrypted ? 'pw' : null, compression: codec, kdfLog2N: 10, geometry: { segmentSize, fanout: 4 } });
    const image = rng.bytes(8 * segmentSize); // random: every segment one whole chunk
    const source = join(dir.path, `img-${encrypted}-${codec}`);
    await writeFile(source, image);
    await backupVolume(repo, { volume: 'v', source });
    const target = join(dir.path, `out-${encrypted}-${codec}`);
    await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target });
    expect((await readFile(target)).equals(image)).toBe(true);

    const [key] = store.keys().filter((k) => k.startsWith('data/'));
    const pack = Buffer.from(store.peek(key!)!);
    const pos = Math.floor(packBlobsEnd(pack) / 2) + 1000; // inside the payload of a chunk
    pack[pos]! ^= 0x40;
    store.poke(key!, pack);
    const err = await restoreSnapshot(repo, { volume: 'v', snapshot: 'latest', target, overwrite: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect((err as Error).message).toMatch(/cannot prove bytes \d+-\d+/);
  });
});
