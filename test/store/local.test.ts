// The local directory store: the shared ObjectStore contract, plus what only a file system can
// get wrong — temporary files left behind or listed, and keys that collide with directories.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/store/local/local-store.js';
import { ObjectExistsError, StoreError } from '../../src/store/object-store.js';
import { tempDir } from '../helpers/cli.js';
import { bytes, describeStoreContract, listAll } from './contract.js';

describeStoreContract('LocalStore', async () => {
  const dir = await tempDir('snaptier-store-');
  // A directory that does not exist yet: ensureContainer must create it.
  return { store: new LocalStore(join(dir.path, 'repo')), cleanup: dir.cleanup };
});

describe('LocalStore on disk', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let root: string;
  let store: LocalStore;

  beforeEach(async () => {
    dir = await tempDir('snaptier-store-');
    root = join(dir.path, 'repo');
    store = new LocalStore(root);
    await store.ensureContainer();
  });
  afterEach(async () => dir.cleanup());

  /** Every file name under the root, recursively, as paths relative to it. */
  async function filesOnDisk(): Promise<string[]> {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
      .sort();
  }

  it('leaves no temporary file after puts of every kind', async () => {
    await store.put('config', [bytes(1, 100)], { ifNotExists: true });
    await store.put('data/00/a', [bytes(2, 5000), bytes(3, 7)]);
    await store.put('data/00/a', [bytes(4, 10)]);
    await store.put('data/01/empty', []);
    await store.put('snapshots/v/1', [bytes(5, 64 * 1024)], { ifNotExists: true });
    expect(await filesOnDisk()).toEqual(['config', 'data/00/a', 'data/01/empty', 'snapshots/v/1']);
  });

  it('leaves no temporary file after a refused ifNotExists put, nor after a race of creators', async () => {
    await store.put('config', [bytes(1, 100)]);
    await expect(store.put('config', [bytes(2, 100)], { ifNotExists: true })).rejects.toBeInstanceOf(ObjectExistsError);
    const racers = Array.from({ length: 8 }, (_, i) => store.put('locks/race', [bytes(10 + i, 32 * 1024)], { ifNotExists: true }));
    const results = await Promise.allSettled(racers);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await filesOnDisk()).toEqual(['config', 'locks/race']);
  });

  it('does not list a temporary file left by an interrupted put', async () => {
    await store.put('data/ab/0001', [bytes(1, 10)]);
    // What a crash between writing and renaming leaves beside the target.
    await mkdir(join(root, 'data', 'ab'), { recursive: true });
    await writeFile(join(root, 'data', 'ab', '0002.tmp-0123456789ab'), bytes(2, 20));
    await writeFile(join(root, 'top.tmp-0123456789ab'), bytes(3, 30));
    for (const prefix of ['', 'data/', 'data/ab/', 'data/ab/0002', 'top']) {
      const expected = 'data/ab/0001'.startsWith(prefix) ? [{ key: 'data/ab/0001', size: 10 }] : [];
      expect(await listAll(store, prefix), `prefix '${prefix}'`).toEqual(expected);
    }
  });

  it('refuses a key whose path collides with another object as a plain store error, not as "exists"', async () => {
    // A directory cannot be both the object "a" and the parent of "a/b"; S3 keys can. Calling that
    // ObjectExistsError would make a create-once caller believe its object is already there.
    await store.put('data/abc', [bytes(1, 10)]);
    await store.put('data/ab/1', [bytes(2, 10)]);
    for (const [key, ifNotExists] of [
      ['data/abc/1', false],
      ['data/abc/1', true],
      ['data/ab', false],
      ['data/ab', true],
    ] as const) {
      const err = await store.put(key, [bytes(3, 10)], { ifNotExists }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `put ${key} ifNotExists=${ifNotExists}`).toBeInstanceOf(StoreError);
      expect(err, `put ${key} ifNotExists=${ifNotExists}`).not.toBeInstanceOf(ObjectExistsError);
      expect((err as StoreError).message).toMatch(/collides/);
    }
    expect(await filesOnDisk()).toEqual(['data/ab/1', 'data/abc']);
  });
});
