// The Azure Blob adapter on a real Azurite server: the shared ObjectStore contract and the engine
// suite in a fresh container per test, then what only Azure has — access tiers, staged block
// uploads, container handling and the four credential sources.
import { randomBytes } from 'node:crypto';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  ContainerSASPermissions,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AzureStore, type AzureStoreOptions } from '../../src/store/azure/azure-store.js';
import {
  AccessDeniedError,
  isNotFound,
  ObjectExistsError,
  ObjectNotFoundError,
  type ObjectStore,
  StoreError,
  ColdObjectError,
} from '../../src/store/object-store.js';
import { RetryingStore } from '../../src/store/wrap/retry.js';
import { describeEngineSuite } from '../engine/engine-suite.js';
import { type Azurite, startAzurite } from '../helpers/azurite.js';
import { bytes, describeStoreContract, listAll } from './contract.js';
import { SERVER_CHAINS } from './engine-chains.js';

let azurite: Azurite;
let service: BlobServiceClient;
const made: string[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
});
afterAll(async () => {
  await azurite?.stop();
});

/** A container name no other test uses: lowercase, digits and single hyphens, 3-63 characters. */
function newContainer(): string {
  const name = `snaptier-${randomBytes(6).toString('hex')}`;
  made.push(name);
  return name;
}

function urlOf(container: string, prefix = 'repo/one'): string {
  return `azure://${container}/${prefix}?account=${azurite.account}&endpoint=${encodeURIComponent(azurite.endpoint)}`;
}

/** A store authenticated with the account key, as `azure://C/P?account=A&endpoint=E` plus AZURE_STORAGE_KEY. */
function keyStore(container: string, options: AzureStoreOptions = {}, prefix = 'repo/one'): AzureStore {
  return new AzureStore(urlOf(container, prefix), { env: { AZURE_STORAGE_KEY: azurite.key }, ...options });
}

describeStoreContract('azurite', async () => {
  const container = newContainer();
  await service.getContainerClient(container).create();
  // Blobs beside the repository prefix, one sharing its leading characters: none may be seen.
  for (const name of ['outside', 'repo/one-sibling/x', 'repo/onex']) {
    await service.getContainerClient(container).getBlockBlobClient(name).upload('decoy', 5);
  }
  return keepAliveRetrying(keyStore(container), container);
});

// The engine on Azure Blob: random chains restored bit-exact at every point in time, few objects
// per incremental backup. init creates the container.
describeEngineSuite(
  'AzureStore on Azurite',
  async () => {
    const container = newContainer();
    return keepAliveRetrying(keyStore(container), container);
  },
  SERVER_CHAINS,
);

/**
 * `store` inside the retry wrapper, as the CLI always runs an adapter, riding out only the
 * keep-alive race of a loaded machine: Azurite 3.35 closes connections idle for 5 s (its
 * --blobKeepAliveTimeout flag is ignored), and a request that reuses one just then fails with
 * EPIPE or ECONNRESET. Any other retry fails the test at cleanup, so the suites still judge the
 * adapter. Cleanup deletes `container`.
 */
function keepAliveRetrying(store: AzureStore, container: string): { store: ObjectStore; cleanup: () => Promise<void> } {
  const retried: string[] = [];
  const retrying = new RetryingStore(store, {
    budgetMs: 30_000,
    baseDelayMs: 1,
    maxDelayMs: 1,
    sleep: async () => {},
    onRetry: (op, key, _attempt, err) => retried.push(`${op} ${key}: ${(err as Error).message}`),
  });
  return {
    store: retrying,
    cleanup: async () => {
      await store.close();
      await deleteContainer(container);
      expect(retried.filter((m) => !/connection failed: (EPIPE|ECONNRESET)/.test(m))).toEqual([]);
    },
  };
}

async function deleteContainer(name: string): Promise<void> {
  await service.getContainerClient(name).deleteIfExists();
}

describe('AzureStore on Azurite', () => {
  afterEach(async () => {
    for (const name of made.splice(0)) await deleteContainer(name);
  });

  async function freshStore(options: AzureStoreOptions = {}): Promise<{ store: AzureStore; container: string }> {
    const container = newContainer();
    const store = keyStore(container, options);
    await store.ensureContainer();
    return { store, container };
  }

  function rawBlob(container: string, key: string) {
    return service.getContainerClient(container).getBlockBlobClient(`repo/one/${key}`);
  }

  /** Small thresholds, so the staged-block path runs on bodies of a few hundred KiB. */
  const staged: AzureStoreOptions = { singlePutMax: 512 * 1024, blockSize: 128 * 1024, blocksInFlight: 3 };

  describe('access tiers', () => {
    it('reports a blob put in the Archive tier as archived on get: not retriable, not "not found"', async () => {
      const { store, container } = await freshStore();
      expect(store.capabilities.tiers).toEqual(['Hot', 'Cool', 'Cold', 'Archive']);
      await store.put('data/cold/pack', [bytes(1, 4000)], { tier: 'Archive' });
      expect((await rawBlob(container, 'data/cold/pack').getProperties()).accessTier).toBe('Archive');
      for (const options of [{}, { range: { offset: 10, length: 100 } }]) {
        const err = await store.get('data/cold/pack', options).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ColdObjectError);
        expect(isNotFound(err)).toBe(false);
        expect((err as StoreError).retriable).toBe(false);
        expect((err as Error).message).toMatch(/data\/cold\/pack is in an archive tier and must be rehydrated/);
      }
      // Its metadata stays readable: a rehydration planner can find and size it.
      expect(await store.head('data/cold/pack')).toMatchObject({ key: 'data/cold/pack', size: 4000 });
      expect(await listAll(store, 'data/')).toEqual([{ key: 'data/cold/pack', size: 4000 }]);
    });

    it('writes Cool, Cold and Hot as asked, in any letter case, on single and staged puts', async () => {
      const { store, container } = await freshStore(staged);
      const cases = [
        ['single/cool', 'Cool', 1000],
        ['single/cold', 'cold', 1000],
        ['staged/cool', 'COOL', 700 * 1024],
        ['staged/hot', 'Hot', 700 * 1024],
      ] as const;
      for (const [key, tier, size] of cases) {
        const body = bytes(size, size);
        await store.put(key, [body], { tier });
        expect((await rawBlob(container, key).getProperties()).accessTier?.toLowerCase(), key).toBe(tier.toLowerCase());
        expect((await store.get(key)).equals(body), key).toBe(true);
      }
    });

    it('refuses an unknown tier before writing anything', async () => {
      const { store } = await freshStore();
      const err = await store.put('x', [bytes(2, 10)], { tier: 'Glacier' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).retriable).toBe(false);
      expect((err as Error).message).toMatch(/unknown access tier "Glacier"/);
      await expect(store.head('x')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });
  });

  describe('staged block uploads', () => {
    it('stages a body over singlePutMax in blocks across uneven parts and commits them as one blob', async () => {
      const { store, container } = await freshStore(staged);
      const body = bytes(3, 5 * 128 * 1024 + 999);
      const parts = [body.subarray(0, 1000), body.subarray(1000, 300_000), new Uint8Array(0), body.subarray(300_000)];
      await store.put('data/big', parts);
      expect((await store.get('data/big')).equals(body)).toBe(true);
      const list = await rawBlob(container, 'data/big').getBlockList('all');
      expect(list.committedBlocks?.map((b) => b.size)).toEqual([...Array(5).fill(128 * 1024), 999]);
      expect(list.uncommittedBlocks ?? []).toEqual([]);
    });

    it('refuses a staged create-once put of an existing key before staging anything', async () => {
      const { store, container } = await freshStore(staged);
      const original = bytes(4, 1000);
      await store.put('snapshots/1', [original]);
      const err = await store.put('snapshots/1', [bytes(5, 600 * 1024)], { ifNotExists: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ObjectExistsError);
      expect((await store.get('snapshots/1')).equals(original)).toBe(true);
      expect((await rawBlob(container, 'snapshots/1').getBlockList('uncommitted')).uncommittedBlocks ?? []).toEqual([]);
    });

    it('lets exactly one of four concurrent staged creators of a key win', async () => {
      const { store } = await freshStore(staged);
      const bodies = Array.from({ length: 4 }, (_, i) => bytes(10 + i, 600 * 1024 + i));
      const results = await Promise.allSettled(bodies.map((b) => store.put('locks/big', [b], { ifNotExists: true })));
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ObjectExistsError);
      expect((await store.get('locks/big')).equals(bodies[winners[0]!]!)).toBe(true);
    });

    it('leaves one whole body after concurrent staged overwrites, retried where a commit lost its blocks', async () => {
      const { store } = await freshStore(staged);
      const retried: unknown[] = [];
      const retrying = new RetryingStore(store, {
        budgetMs: 60_000,
        baseDelayMs: 1,
        maxDelayMs: 1,
        sleep: async () => {},
        onRetry: (_op, _key, _attempt, err) => retried.push(err),
      });
      const bodies = Array.from({ length: 4 }, (_, i) => bytes(20 + i, 600 * 1024 + 7 * i));
      await Promise.all(bodies.map((b) => retrying.put('config', [b])));
      const got = await store.get('config');
      expect(bodies.some((b) => b.equals(got))).toBe(true);
      // Whatever was retried was the lost-blocks case, marked retriable by the adapter.
      for (const err of retried) expect((err as Error).message).toMatch(/discarded by a concurrent write/);
    });
  });

  describe('containers and listing', () => {
    it('treats a missing container as an empty store, and ensureContainer creates it', async () => {
      const container = newContainer();
      const store = keyStore(container);
      await expect(store.get('config')).rejects.toSatisfy(isNotFound);
      await expect(store.head('config')).rejects.toSatisfy(isNotFound);
      expect(await listAll(store, '')).toEqual([]);
      await store.delete('config');
      await store.ensureContainer();
      expect(await service.getContainerClient(container).exists()).toBe(true);
      await store.ensureContainer();
      await store.put('config', [bytes(6, 10)]);
      expect(await listAll(store, '')).toEqual([{ key: 'config', size: 10 }]);
    });

    it('works without a prefix, and keeps repositories under different prefixes of one container apart', async () => {
      const container = newContainer();
      const whole = keyStore(container, {}, '');
      const a = keyStore(container, {}, 'a');
      const ab = keyStore(container, {}, 'a/b');
      await whole.ensureContainer();
      await a.put('k', [bytes(7, 1)]);
      await ab.put('k', [bytes(8, 2)]);
      await whole.put('k', [bytes(9, 3)]);
      expect(await listAll(ab, '')).toEqual([{ key: 'k', size: 2 }]);
      expect(await listAll(a, '')).toEqual([
        { key: 'b/k', size: 2 },
        { key: 'k', size: 1 },
      ]);
      expect(await listAll(whole, '')).toEqual([
        { key: 'a/b/k', size: 2 },
        { key: 'a/k', size: 1 },
        { key: 'k', size: 3 },
      ]);
      await ab.delete('k');
      expect((await whole.get('a/k')).equals(bytes(7, 1))).toBe(true);
    });

    it('pages through a listing larger than the page size, each key once', async () => {
      const { store } = await freshStore({ listPageSize: 40 });
      const keys = Array.from({ length: 130 }, (_, i) => `index/${String(i).padStart(4, '0')}`);
      for (let i = 0; i < keys.length; i += 10) await Promise.all(keys.slice(i, i + 10).map((k) => store.put(k, [bytes(1, 3)])));
      const listed = await listAll(store, 'index/');
      expect(listed.map((o) => o.key)).toEqual(keys);
    });
  });

  describe('credentials', () => {
    it('reads the account and endpoint from AZURE_STORAGE_CONNECTION_STRING', async () => {
      const container = newContainer();
      const store = new AzureStore(`azure://${container}/cs`, { env: { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString } });
      expect(store.credentialSource).toBe('connection-string');
      await roundTrip(store);
    });

    it('signs with an account SAS from AZURE_STORAGE_SAS_TOKEN', async () => {
      const container = newContainer();
      const sas = generateAccountSASQueryParameters(
        {
          expiresOn: new Date(Date.now() + 3600_000),
          permissions: AccountSASPermissions.parse('rwdlc'),
          resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
          services: AccountSASServices.parse('b').toString(),
        },
        new StorageSharedKeyCredential(azurite.account, azurite.key),
      ).toString();
      const store = new AzureStore(urlOf(container), { env: { AZURE_STORAGE_SAS_TOKEN: `?${sas}` } });
      expect(store.credentialSource).toBe('sas');
      await roundTrip(store);
    });

    it('with a container SAS that may not create containers, ensureContainer accepts an existing one', async () => {
      const container = newContainer();
      await service.getContainerClient(container).create();
      const sas = generateBlobSASQueryParameters(
        { containerName: container, expiresOn: new Date(Date.now() + 3600_000), permissions: ContainerSASPermissions.parse('rwdl') },
        new StorageSharedKeyCredential(azurite.account, azurite.key),
      ).toString();
      const store = new AzureStore(urlOf(container), { env: { AZURE_STORAGE_SAS_TOKEN: sas } });
      await roundTrip(store);
      // The same SAS cannot make the container exist when it does not.
      const missing = new AzureStore(urlOf(newContainer()), { env: { AZURE_STORAGE_SAS_TOKEN: sas } });
      await expect(missing.ensureContainer()).rejects.toBeInstanceOf(StoreError);
    });

    it('takes the emulator endpoint without the account path, and refuses a wrong key as AccessDeniedError', async () => {
      const container = newContainer();
      const bare = azurite.endpoint.replace(/\/devstoreaccount1$/, '');
      const url = `azure://${container}/p?account=${azurite.account}&endpoint=${encodeURIComponent(bare)}`;
      await roundTrip(new AzureStore(url, { env: { AZURE_STORAGE_KEY: azurite.key } }));
      const wrong = new AzureStore(url, { env: { AZURE_STORAGE_KEY: randomBytes(64).toString('base64') } });
      for (const attempt of [() => wrong.get('config'), () => wrong.head('config'), () => wrong.put('x', [bytes(1, 1)])]) {
        const err = await attempt().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AccessDeniedError);
        expect((err as StoreError).retriable).toBe(false);
      }
    });
  });
});

/** ensureContainer, put, get, list and delete through `store`: proves its credential works end to end. */
async function roundTrip(store: AzureStore): Promise<void> {
  await store.ensureContainer();
  const body = bytes(42, 2048);
  await store.put('config', [body], { ifNotExists: true });
  expect((await store.get('config', { range: { offset: 1000, length: 48 } })).equals(body.subarray(1000, 1048))).toBe(true);
  expect(await listAll(store, '')).toEqual([{ key: 'config', size: 2048 }]);
  await store.delete('config');
  await expect(store.head('config')).rejects.toSatisfy(isNotFound);
}
