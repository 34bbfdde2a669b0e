// Immutability on Azure Blob through version-level immutability (WORM), against an EMULATION:
// Azurite implements none of the immutability API, so test/helpers/azure-immutability-proxy.ts
// stands in front of it and answers as Azure documents it (policy headers on put and properties,
// Set Blob Immutability Policy, 409 BlobImmutableDueToPolicy on a delete before the until-date,
// the deleted current version kept as a previous version). These tests prove the adapter and the
// CLI against that documented behaviour, not against Azure itself. Containers are created straight
// on Azurite, standing in for the management plane (az storage container-rm create --enable-vlw).
// Locks of a few seconds (the test-only --lock-seconds), waited out on the wall clock.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureStore, type AzureStoreOptions } from '../../src/store/azure/azure-store.js';
import { ObjectNotFoundError, ImmutableObjectError, ImmutabilityUnsupportedError } from '../../src/store/object-store.js';
import { type ImmutabilityProxy, startImmutabilityProxy } from '../helpers/azure-immutability-proxy.js';
import { type Azurite, startAzurite } from '../helpers/azurite.js';
import { run, runJson, tempDir } from '../helpers/cli.js';
import { Rng } from '../helpers/random.js';
import { bytes } from './contract.js';

/**
 * Long enough for init, two backups, a forget and three prunes to run inside it on a loaded
 * 2-core machine (8 s was overrun at load 30); short enough to wait out.
 */
const LOCK_SECONDS = 20;
const PREFIX = 'repo';

let azurite: Azurite;
let proxy: ImmutabilityProxy;
let service: BlobServiceClient;
let dir: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  [azurite, dir] = await Promise.all([startAzurite(), tempDir('snaptier-azlock-')]);
  // Containers named plain-* have no version-level immutability; every other one has it.
  proxy = await startImmutabilityProxy({
    upstream: azurite.endpoint.replace(/\/devstoreaccount1$/, ''),
    worm: (c) => !c.startsWith('plain-'),
  });
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
});
afterAll(async () => {
  await proxy?.close();
  await azurite?.stop();
  await dir?.cleanup();
});

/** A new container, as the management plane would create it: with WORM, or (plain) without. */
async function newContainer(kind: 'worm' | 'plain' = 'worm'): Promise<string> {
  const name = `${kind}-${randomBytes(6).toString('hex')}`;
  await service.getContainerClient(name).create();
  return name;
}

/** The repository URL of a container, reached through the emulating proxy. */
function urlOf(container: string): string {
  return `azure://${container}/${PREFIX}?account=${azurite.account}&endpoint=${encodeURIComponent(`${proxy.endpoint}/${azurite.account}`)}`;
}

function storeOf(container: string, options: AzureStoreOptions = {}): AzureStore {
  return new AzureStore(urlOf(container), { env: { AZURE_STORAGE_KEY: azurite.key }, ...options });
}

const env = (): Record<string, string> => ({ AZURE_STORAGE_KEY: azurite.key });

/** Waits until the wall clock passes `ms`: immutability ending is the behaviour under test. */
function passed(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now() + 300)));
}

async function refusal(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a refusal').toBeInstanceOf(Error);
  return err as Error;
}

describe('AzureStore with version-level immutability (emulated by a proxy: Azurite has none)', () => {
  it('ensureContainer({ immutability }) accepts a WORM container, and refuses one without WORM or none at all, naming the az command', async () => {
    const worm = await newContainer();
    await storeOf(worm).ensureContainer({ immutability: true });

    const plain = await newContainer('plain');
    const off = await refusal(storeOf(plain).ensureContainer({ immutability: true }));
    expect(off).toBeInstanceOf(ImmutabilityUnsupportedError);
    expect(off.message).toMatch(/does not have version-level immutability/);
    expect(off.message).toMatch(/az storage container-rm create --storage-account devstoreaccount1 --name \S+ --enable-vlw/);
    expect(off.message).not.toMatch(/\n/);

    // A missing container is not created: the data-plane API would create it without WORM.
    const missing = `worm-${randomBytes(6).toString('hex')}`;
    const none = await refusal(storeOf(missing).ensureContainer({ immutability: true }));
    expect(none).toBeInstanceOf(ImmutabilityUnsupportedError);
    expect(none.message).toMatch(/does not exist.*--enable-vlw/);
    expect(await service.getContainerClient(missing).exists()).toBe(false);
    expect(storeOf(worm).capabilities.immutability).toBe(true);
  });

  it('puts immutable (one Put Blob and staged blocks): head reports its end, a delete is refused with ImmutableObjectError and the blob stays', async () => {
    const container = await newContainer();
    const store = storeOf(container, { singlePutMax: 512 * 1024, blockSize: 128 * 1024, blocksInFlight: 3 });
    // Milliseconds past a second: the wire carries whole seconds, and immutability must not end early.
    const untilMs = Math.floor(Date.now() / 1000) * 1000 + 600_000 + 123;
    const small = bytes(1, 1000);
    const large = bytes(2, 1 << 20);
    await store.put('data/aa/small', [small], { immutability: { mode: 'compliance', untilMs }, ifNotExists: true });
    await store.put('data/aa/large', [large.subarray(0, 300_000), large.subarray(300_000)], { immutability: { mode: 'governance', untilMs } });
    await store.put('data/aa/free', [bytes(3, 10)]);

    expect((await store.head('data/aa/small')).immutableUntil).toBe(untilMs - 123 + 1000);
    expect((await store.head('data/aa/large')).immutableUntil).toBe(untilMs - 123 + 1000);
    expect((await store.head('data/aa/free')).immutableUntil).toBeUndefined();
    // compliance -> Locked, governance -> Unlocked, on the commit of the staged upload too.
    expect(proxy.current(container, `${PREFIX}/data/aa/small`)?.policy?.mode).toBe('locked');
    expect(proxy.current(container, `${PREFIX}/data/aa/large`)?.policy?.mode).toBe('unlocked');

    for (const key of ['data/aa/small', 'data/aa/large']) {
      const err = await refusal(store.delete(key));
      expect(err).toBeInstanceOf(ImmutableObjectError);
      expect(err.message).toMatch(/is immutable/);
    }
    expect(proxy.stats.deletesRefused).toBeGreaterThanOrEqual(2);
    expect((await store.get('data/aa/small')).equals(small)).toBe(true);
    expect((await store.get('data/aa/large')).equals(large)).toBe(true);
    await store.delete('data/aa/free');
    await expect(store.head('data/aa/free')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await store.close();
  });

  it('extendImmutability moves its end later, never earlier, and keeps a Locked policy locked', async () => {
    const container = await newContainer();
    const store = storeOf(container);
    const now = Date.now();
    await store.put('snapshots/s1', [bytes(4, 100)], { immutability: { mode: 'compliance', untilMs: now + 60_000 } });
    const before = (await store.head('snapshots/s1')).immutableUntil!;

    await store.extendImmutability('snapshots/s1', { mode: 'compliance', untilMs: now + 120_000 });
    const later = (await store.head('snapshots/s1')).immutableUntil!;
    expect(later).toBe(Math.ceil((now + 120_000) / 1000) * 1000);
    expect(later).toBeGreaterThan(before);

    // Earlier than the end in place: nothing is sent (the proxy, like Azure, would refuse it).
    const sets = proxy.stats.policiesSet;
    await store.extendImmutability('snapshots/s1', { mode: 'compliance', untilMs: now + 30_000 });
    expect((await store.head('snapshots/s1')).immutableUntil).toBe(later);
    expect(proxy.stats.policiesSet).toBe(sets);

    // A governance extension of a Locked blob leaves it Locked.
    await store.extendImmutability('snapshots/s1', { mode: 'governance', untilMs: now + 180_000 });
    expect(proxy.current(container, `${PREFIX}/snapshots/s1`)?.policy).toEqual({
      mode: 'locked',
      untilMs: Math.ceil((now + 180_000) / 1000) * 1000,
    });
    await expect(store.extendImmutability('snapshots/missing', { mode: 'compliance', untilMs: now + 60_000 })).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
    await store.close();
  });

  it('once immutability ends, a delete removes the blob and the previous version Azure keeps of it; a version still immutable is refused', async () => {
    const container = await newContainer();
    const writer = storeOf(container);
    const untilMs = Date.now() + 2000;
    await writer.put('data/bb/expiring', [bytes(5, 500)], { immutability: { mode: 'compliance', untilMs } });
    await writer.put('data/bb/half-deleted', [bytes(10, 500)], { immutability: { mode: 'compliance', untilMs } });
    // Overwritten: the first version stays as a previous version, under its lock of ten minutes.
    await writer.put('data/bb/rewritten', [bytes(6, 50)], { immutability: { mode: 'compliance', untilMs: Date.now() + 600_000 } });
    await writer.put('data/bb/rewritten', [bytes(7, 50)]);
    await writer.close();

    await passed(Math.ceil(untilMs / 1000) * 1000);
    // What a delete cut short between its two requests leaves (and its retry meets): the blob gone,
    // its previous version still there. Even a store that knows nothing of versions yet finds it.
    const raw = new BlobServiceClient(`${proxy.endpoint}/${azurite.account}`, new StorageSharedKeyCredential(azurite.account, azurite.key));
    await raw.getContainerClient(container).getBlobClient(`${PREFIX}/data/bb/half-deleted`).delete();
    expect(proxy.previous(container, `${PREFIX}/data/bb/half-deleted`)).toHaveLength(1);
    await storeOf(container).delete('data/bb/half-deleted');
    expect(proxy.previous(container, `${PREFIX}/data/bb/half-deleted`)).toEqual([]);

    // A fresh store does not know the container keeps versions: it learns it from this delete.
    const store = storeOf(container);
    const deleted = proxy.stats.versionsDeleted;
    await store.delete('data/bb/expiring');
    await expect(store.head('data/bb/expiring')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(proxy.current(container, `${PREFIX}/data/bb/expiring`)).toBeUndefined();
    expect(proxy.previous(container, `${PREFIX}/data/bb/expiring`)).toEqual([]);
    expect(proxy.stats.versionsDeleted).toBe(deleted + 1);

    // The current version goes; the locked previous one is refused, and kept.
    await expect(store.delete('data/bb/rewritten')).rejects.toBeInstanceOf(ImmutableObjectError);
    await expect(store.head('data/bb/rewritten')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(proxy.previous(container, `${PREFIX}/data/bb/rewritten`)).toHaveLength(1);
    // Deleting a key that is not there: no refusal (the leftover version is looked for again).
    await expect(store.delete('data/bb/never-written')).resolves.toBeUndefined();
    await store.close();
  });

  it('a container without WORM (and Azurite itself, without versions) deletes as before', async () => {
    const container = await newContainer('plain');
    const store = storeOf(container);
    await store.put('data/cc/one', [bytes(8, 10)]);
    expect((await store.head('data/cc/one')).immutableUntil).toBeUndefined();
    await store.delete('data/cc/one');
    await store.delete('data/cc/one');
    await expect(store.head('data/cc/one')).rejects.toBeInstanceOf(ObjectNotFoundError);

    const direct = new AzureStore(
      `azure://${container}/${PREFIX}?account=${azurite.account}&endpoint=${encodeURIComponent(azurite.endpoint)}`,
      { env: { AZURE_STORAGE_KEY: azurite.key } },
    );
    await direct.put('data/cc/two', [bytes(9, 10)]);
    await direct.delete('data/cc/two');
    await expect(direct.head('data/cc/two')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await direct.close();
    await store.close();
  });
});

describe('the CLI on Azure with version-level immutability (emulated by a proxy: Azurite has none)', () => {
  it('init refuses a container without WORM, or none, with exit 2 and the az command; --lock-until makes the config immutable until then', async () => {
    const plain = await newContainer('plain');
    const off = await run(['init', '--repo', urlOf(plain), '--lock-days', '1'], env());
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/does not have version-level immutability.*--enable-vlw/);
    const none = await run(['init', '--repo', urlOf(`worm-${randomBytes(6).toString('hex')}`), '--lock-days', '1'], env());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/does not exist/);

    const worm = await newContainer();
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const init = await runJson(['init', '--repo', urlOf(worm), '--lock-until', until, '--lock-mode', 'governance'], env());
    expect(init.lock).toEqual({ mode: 'governance', seconds: 0, until });
    const store = storeOf(worm);
    expect((await store.head('config')).immutableUntil).toBe(Math.ceil(Date.parse(until) / 1000) * 1000);
    expect(proxy.current(worm, `${PREFIX}/config`)?.policy?.mode).toBe('unlocked');
    await store.close();
  });

  it('forget and prune skip what is immutable and report it, --force-locked exits 4, and the first prune after its immutability ends frees it, every version', async () => {
    const container = await newContainer();
    const repo = urlOf(container);
    const image = join(dir.path, 'img');
    const init = await runJson(['init', '--repo', repo, '--pack-size', '1', '--lock-seconds', String(LOCK_SECONDS)], env());
    expect(init.lock).toEqual({ mode: 'compliance', seconds: LOCK_SECONDS, until: null });
    const rng = new Rng(5);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      await writeFile(image, rng.bytes(3 << 19)); // each snapshot rewrites the whole image: A's packs are A's alone
      ids.push(
        (await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image, '--time', `2026-02-0${i + 1}T00:00:00Z`], env()))
          .snapshot,
      );
    }

    // forget: snapshot A's manifest is still locked, so A stays, reported.
    const f1 = await runJson(['forget', '--repo', repo, '--keep-last', '1', '--prune', '--grace', '0'], env());
    expect(f1.remove).toEqual([]);
    expect(f1.locked).toMatchObject([{ id: ids[0], volume: 'v' }]);

    // A locked pack nothing names (what an interrupted backup leaves): prune keeps and reports it.
    const id = randomBytes(16).toString('hex');
    const leftover = `data/${id.slice(0, 2)}/${id}`;
    const raw = storeOf(container);
    await raw.put(leftover, [randomBytes(1000)], { immutability: { mode: 'compliance', untilMs: Date.now() + LOCK_SECONDS * 1000 } });
    const p1 = await runJson(['prune', '--repo', repo, '--grace', '0'], env());
    expect(p1).toMatchObject({ packsDeleted: 0, bytesLocked: 1000 });
    expect(p1.locked).toMatchObject([{ key: leftover }]);
    const human = await run(['prune', '--repo', repo, '--grace', '0'], env());
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/1 objects \(.*\) immutable until 20\d\d-/);
    // Forcing it: Azure (here the proxy) refuses, exit 4, and nothing is lost.
    const forced = await run(['prune', '--repo', repo, '--grace', '0', '--force-locked'], env());
    expect(forced.code).toBe(4);
    expect(forced.stderr).toMatch(/is immutable/);
    expect((await raw.head(leftover)).size).toBe(1000);

    // Once the locks have ended: forget removes A, prune frees A's packs and the leftover, every version.
    await passed(Date.parse(p1.locked[0].until));
    await passed(Date.parse(f1.locked[0].until));
    const f2 = await runJson(['forget', '--repo', repo, '--keep-last', '1'], env());
    expect(f2).toMatchObject({ remove: [ids[0]], locked: [] });
    const p2 = await runJson(['prune', '--repo', repo, '--grace', '0'], env());
    expect(p2.locked).toEqual([]);
    expect(p2.packsDeleted).toBeGreaterThanOrEqual(3); // A's data and tree packs, and the leftover
    expect(proxy.current(container, `${PREFIX}/${leftover}`)).toBeUndefined();
    expect(proxy.previous(container, `${PREFIX}/${leftover}`)).toEqual([]);
    const check = await runJson(['check', '--repo', repo], env());
    expect(check.ok).toBe(true);
    expect((await runJson(['snapshots', '--repo', repo], env())).map((s: { id: string }) => s.id)).toEqual([ids[1]]);
    await raw.close();
  });

  it('lock --extend renews the immutability of every object the snapshots need', async () => {
    const container = await newContainer();
    const repo = urlOf(container);
    const image = join(dir.path, 'img-x');
    await runJson(['init', '--repo', repo, '--pack-size', '1', '--lock-seconds', '30'], env());
    await writeFile(image, new Rng(9).bytes(1 << 20));
    await runJson(['backup', '--repo', repo, '--volume', 'x', '--source', image], env());
    const store = storeOf(container);
    const keys: string[] = [];
    for await (const o of store.list('data/')) keys.push(o.key);
    const before = (await store.head(keys[0]!)).immutableUntil!;
    // Locks end on whole seconds (rounded up): in the second of the last write, now + 30 s may
    // not pass them yet, and they count as already locked. From the next second on, it does.
    await passed(Math.ceil(Date.now() / 1000) * 1000 - 300);
    const dry = await runJson(['lock', '--repo', repo, '--extend', '--dry-run'], env());
    expect(dry).toMatchObject({ dryRun: true, alreadyLocked: 0 });
    expect(dry.extended).toBe(dry.objects);
    expect((await store.head(keys[0]!)).immutableUntil).toBe(before);
    const started = Date.now();
    const r = await runJson(['lock', '--repo', repo, '--extend'], env());
    expect(r.objects).toBeGreaterThanOrEqual(4); // config, manifest, a data and a tree pack
    expect(r.extended).toBe(r.objects);
    const after = (await store.head(keys[0]!)).immutableUntil!;
    expect(after).toBeGreaterThan(before);
    expect(after).toBeGreaterThanOrEqual(started + 30_000);
    await store.close();
  });
});
