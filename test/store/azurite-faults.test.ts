// The Azure adapter when the network or the service misbehaves, on a real Azurite behind proxies
// that throttle, cut connections, or hold a request back: every failure leaves the adapter as a
// StoreError whose `retriable` is right, and the retry wrapper turns the retriable ones into success.
import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AzureStore, type AzureStoreOptions } from '../../src/store/azure/azure-store.js';
import { blockId } from '../../src/store/azure/block-upload.js';
import { ObjectExistsError, StoreError } from '../../src/store/object-store.js';
import { RetryingStore } from '../../src/store/wrap/retry.js';
import { type Azurite, startAzurite } from '../helpers/azurite.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { startGateProxy } from '../helpers/gate-proxy.js';
import { bytes, listAll } from './contract.js';

let azurite: Azurite;
let service: BlobServiceClient;
const toClose: Array<() => Promise<void>> = [];

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
});
afterAll(async () => {
  await azurite?.stop();
});
afterEach(async () => {
  for (const close of toClose.splice(0).reverse()) await close();
});

/** A store on a new container reached through `server` (Azurite itself, or a proxy in front of it). */
function storeVia(server: string, container: string, options: AzureStoreOptions = {}): AzureStore {
  const endpoint = encodeURIComponent(`${server}/${azurite.account}`);
  return new AzureStore(`azure://${container}/repo?account=${azurite.account}&endpoint=${endpoint}`, {
    env: { AZURE_STORAGE_KEY: azurite.key },
    ...options,
  });
}

async function newContainer(): Promise<string> {
  const name = `faults-${randomBytes(6).toString('hex')}`;
  await service.getContainerClient(name).create();
  toClose.push(async () => void (await service.getContainerClient(name).deleteIfExists()));
  return name;
}

const upstream = (): string => azurite.endpoint.replace(/\/devstoreaccount1$/, '');
const staged: AzureStoreOptions = { singlePutMax: 512 * 1024, blockSize: 128 * 1024, blocksInFlight: 3 };

async function failure(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected the operation to fail').toBeInstanceOf(StoreError);
  return err as StoreError;
}

describe('AzureStore under faults', () => {
  it('answers throttling (503 ServerBusy) on every operation with a retriable StoreError naming the key', async () => {
    const container = await newContainer();
    const proxy = await startFaultProxy({ upstream: upstream(), seed: 1, throttle: 1, cut: 0 });
    toClose.push(proxy.close);
    const store = storeVia(proxy.endpoint, container);
    for (const [what, attempt] of [
      ['put', () => store.put('data/k', [bytes(1, 100)])],
      ['get', () => store.get('data/k')],
      ['head', () => store.head('data/k')],
      ['delete', () => store.delete('data/k')],
      ['list', () => listAll(store, 'data/')],
      ['ensureContainer', () => store.ensureContainer()],
    ] as const) {
      const err = await failure(attempt());
      expect(err.retriable, what).toBe(true);
      expect(err.message, what).toMatch(/503 ServerBusy/);
      if (what !== 'ensureContainer') expect(err.message, what).toMatch(/data\//);
    }
    expect(proxy.stats.throttled).toBe(6);
  });

  it('answers a download cut mid-way with a retriable StoreError, whole or ranged', async () => {
    const container = await newContainer();
    const body = bytes(2, 1 << 20);
    await storeVia(upstream(), container).put('data/pack', [body]);
    const proxy = await startFaultProxy({ upstream: upstream(), seed: 2, throttle: 0, cut: 1 });
    toClose.push(proxy.close);
    const store = storeVia(proxy.endpoint, container);
    for (const options of [{}, { range: { offset: 1000, length: 500_000 } }]) {
      const err = await failure(store.get('data/pack', options));
      expect(err.retriable).toBe(true);
      expect(err.message).toMatch(/data\/pack/);
    }
    expect(proxy.stats.cut).toBe(2);
  });

  it('through the retry wrapper, stores and reads back every object despite throttling and cut connections', async () => {
    const container = await newContainer();
    const proxy = await startFaultProxy({ upstream: upstream(), seed: 3, throttle: 0.1, cut: 0.1 });
    toClose.push(proxy.close);
    const retries: string[] = [];
    const store = new RetryingStore(storeVia(proxy.endpoint, container, staged), {
      budgetMs: 120_000,
      baseDelayMs: 1,
      maxDelayMs: 1,
      sleep: async () => {},
      onRetry: (op) => retries.push(op),
    });
    // Every fourth body is staged in 6 blocks: a failed request anywhere retries the whole put.
    const bodies = Array.from({ length: 16 }, (_, i) => bytes(30 + i, i % 4 === 1 ? 700 * 1024 + i : 40 * 1024 + i));
    for (const [i, body] of bodies.entries()) await store.put(`data/${i}`, [body], { ifNotExists: i % 4 === 0 });
    for (const [i, body] of bodies.entries()) expect((await store.get(`data/${i}`)).equals(body), `data/${i}`).toBe(true);
    expect((await listAll(store, 'data/')).length).toBe(bodies.length);
    // Both kinds of fault happened and were ridden out.
    expect(proxy.stats.throttled).toBeGreaterThan(0);
    expect(proxy.stats.cut).toBeGreaterThan(0);
    expect(retries.length).toBeGreaterThanOrEqual(proxy.stats.throttled);
  });

  it('answers a refused connection with a retriable StoreError', async () => {
    const store = storeVia('http://127.0.0.1:1', 'nowhere');
    for (const attempt of [() => store.get('config'), () => store.put('config', [bytes(1, 1)])]) {
      const err = await failure(attempt());
      expect(err.retriable).toBe(true);
      expect(err.message).toMatch(/ECONNREFUSED/);
    }
  });

  it('ends an operation whose signal was aborted with a StoreError that is not retriable, and writes nothing', async () => {
    const container = await newContainer();
    const store = storeVia(upstream(), container);
    await store.put('data/there', [bytes(4, 100)]);
    const aborted = AbortSignal.abort();
    for (const attempt of [
      () => store.get('data/there', { signal: aborted }),
      () => store.put('data/new', [bytes(5, 100)], { signal: aborted }),
      () => store.put('data/new', [bytes(5, 700 * 1024)], { signal: aborted }),
      async () => {
        for await (const _ of store.list('data/', aborted));
      },
    ]) {
      const err = await failure(attempt());
      expect(err.retriable).toBe(false);
      expect(err.message).toMatch(/aborted/);
    }
    expect(await listAll(store, 'data/')).toEqual([{ key: 'data/there', size: 100 }]);
  });

  describe('a staged commit that races another writer of the key', () => {
    async function raceOnCommit(ifNotExists: boolean): Promise<{ err: StoreError; winner: Buffer; store: AzureStore }> {
      const container = await newContainer();
      // Hold our Put Block List until the other writer has committed.
      const gate = await startGateProxy(upstream(), (req) => req.method === 'PUT' && /[?&]comp=blocklist/.test(req.url ?? ''));
      toClose.push(gate.close);
      const store = storeVia(gate.endpoint, container, staged);
      const ours = store.put('locks/k', [bytes(6, 600 * 1024)], { ifNotExists });
      const settled = ours.then(
        () => undefined,
        (e: unknown) => e,
      );
      await gate.held;
      const winner = bytes(7, 300 * 1024);
      const other = service.getContainerClient(container).getBlockBlobClient('repo/locks/k');
      // Another staged writer (a Put Blob would not do: Azurite keeps uncommitted blocks then).
      const id = blockId('0123456789abcdef', 0);
      await other.stageBlock(id, winner, winner.length);
      await other.commitBlockList([id]);
      gate.open();
      const err = await settled;
      expect(err).toBeInstanceOf(StoreError);
      return { err: err as StoreError, winner, store };
    }

    it('is a retriable error for an overwrite, since Azure discarded its blocks, and leaves the winner whole', async () => {
      const { err, winner, store } = await raceOnCommit(false);
      expect(err.retriable).toBe(true);
      expect(err.message).toMatch(/discarded by a concurrent write/);
      expect((await store.get('locks/k')).equals(winner)).toBe(true);
    });

    it('is ObjectExistsError for a create-once put', async () => {
      const { err, winner, store } = await raceOnCommit(true);
      expect(err).toBeInstanceOf(ObjectExistsError);
      expect(err.retriable).toBe(false);
      expect((await store.get('locks/k')).equals(winner)).toBe(true);
    });
  });
});
