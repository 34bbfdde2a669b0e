// What only the S3 adapter can get wrong, run against every S3 server the contract runs on: the
// key prefix, storage classes, batch delete, create-once above the multipart threshold, and the
// translation of failures (refused credentials, missing bucket, throttling, cut connections) into
// the store's errors, retriable or not, as the retry wrapper needs them.
import { createServer } from 'node:net';
import { HeadObjectCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  InvalidRangeError,
  ObjectExistsError,
  type ObjectStore,
  StoreError,
  isNotFound,
} from '../../src/store/object-store.js';
import { MULTIPART_THRESHOLD, S3Store, type S3StoreOptions } from '../../src/store/s3/s3-store.js';
import { RetryingStore } from '../../src/store/wrap/retry.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { Rng } from '../helpers/random.js';
import { rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { bytes, forEachBounded, listAll } from './contract.js';

export interface S3TestServer {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The server enforces If-None-Match: * on PutObject. */
  atomicCreate: boolean;
}

export function describeS3Behaviour(name: string, getServer: () => S3TestServer): void {
  describe(`${name}: S3 adapter behaviour`, () => {
    let server: S3TestServer;
    let raw: S3Client;
    let bucket: string;
    const closers: Array<() => Promise<unknown>> = [];

    beforeEach(() => {
      server = getServer();
      raw = rawClient(server);
      bucket = uniqueBucket('b');
    });
    afterEach(async () => {
      for (const close of closers.splice(0).reverse()) await close();
      await removeBucket(raw, bucket);
      raw.destroy();
    });

    /** A store on this test's bucket; `path` is '/PREFIX' or '', `query` extra URL options. */
    function open(path = '', query = '', options: S3StoreOptions = {}, endpoint = server.endpoint): S3Store {
      const atomic = server.atomicCreate ? '' : '&atomic-create=false';
      const store = new S3Store(`s3://${bucket}${path}?endpoint=${encodeURIComponent(endpoint)}${atomic}${query}`, {
        credentials: server.credentials,
        ...options,
      });
      closers.push(() => store.close());
      return store;
    }

    async function proxy(opts: { throttle: number; cut: number; seed?: number }): Promise<FaultProxy> {
      const p = await startFaultProxy({ upstream: server.endpoint, seed: opts.seed ?? 1, throttle: opts.throttle, cut: opts.cut });
      closers.push(() => p.close());
      return p;
    }

    async function storedKeys(): Promise<string[]> {
      const page = await raw.send(new ListObjectsCommand({ Bucket: bucket }));
      return (page.Contents ?? []).map((o) => o.Key ?? '').sort();
    }

    it('stores keys under the URL prefix, and lists, reads and deletes only its own', async () => {
      const one = open('/team/repo');
      const two = open('/team/repo-2');
      const spaced = open('/with%20space');
      await one.ensureContainer();
      await one.put('data/x', [bytes(1, 10)]);
      await two.put('data/x', [bytes(2, 20)]);
      await spaced.put('k', [bytes(3, 3)]);
      expect(await storedKeys()).toEqual(['team/repo-2/data/x', 'team/repo/data/x', 'with space/k']);
      expect(await listAll(one, '')).toEqual([{ key: 'data/x', size: 10 }]);
      expect(await listAll(two, 'data/')).toEqual([{ key: 'data/x', size: 20 }]);
      expect((await one.get('data/x')).equals(bytes(1, 10))).toBe(true);
      await one.delete('data/x');
      expect(await storedKeys()).toEqual(['team/repo-2/data/x', 'with space/k']);
    });

    it('sets the storage class a tier names, and refuses a tier S3 does not have', async () => {
      const store = open('/tiers');
      await store.ensureContainer();
      expect(store.capabilities.tiers).toContain('STANDARD_IA');
      await store.put('cold', [bytes(4, 100)], { tier: 'STANDARD_IA' });
      const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: 'tiers/cold' }));
      expect(head.StorageClass).toBe('STANDARD_IA');
      const err = await store.put('hot', [bytes(5, 1)], { tier: 'FAST' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).retriable).toBe(false);
      expect((err as Error).message).toMatch(/storage class FAST/);
      expect(await storedKeys()).toEqual(['tiers/cold']);
    });

    it('deletes many keys in batches of 1000, missing keys included, and nothing else', async () => {
      const store = open('/many');
      await store.ensureContainer();
      const keys = Array.from({ length: 1003 }, (_, i) => `data/${String(i).padStart(4, '0')}`);
      await forEachBounded(keys, 16, (key) => store.put(key, []));
      await store.put('keep', [bytes(6, 6)]);
      await store.deleteMany([...keys, 'data/missing-1', 'never/was']);
      expect(await listAll(store, '')).toEqual([{ key: 'keep', size: 6 }]);
      await store.deleteMany([]);
    });

    it(`creates once above the multipart threshold (${MULTIPART_THRESHOLD} bytes) and keeps the first body`, async () => {
      const store = open('/big');
      await store.ensureContainer();
      const first = bytes(7, MULTIPART_THRESHOLD + 1000);
      await store.put('locked', [first.subarray(0, 1000), first.subarray(1000)], { ifNotExists: true });
      const err = await store.put('locked', [bytes(8, MULTIPART_THRESHOLD + 5)], { ifNotExists: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ObjectExistsError);
      expect(await store.head('locked')).toMatchObject({ key: 'locked', size: first.length });
      const tail = await store.get('locked', { range: { offset: first.length - 4096, length: 4096 } });
      expect(tail.equals(first.subarray(first.length - 4096))).toBe(true);
    });

    it('refuses unknown credentials with AccessDeniedError, not retriable, on every operation', async () => {
      await open().ensureContainer();
      const store = open('', '', { credentials: { accessKeyId: 'NOSUCHKEY0000000000', secretAccessKey: 'wrong' } });
      for (const [op, attempt] of [
        ['put', () => store.put('k', [bytes(9, 10)])],
        ['get', () => store.get('k')],
        ['list', () => listAll(store, '')],
        ['delete', () => store.delete('k')],
      ] as const) {
        const err = await attempt().then(
          () => new Error(`${op} succeeded`),
          (e: unknown) => e,
        );
        expect(err, `${op}: ${String(err)}`).toBeInstanceOf(AccessDeniedError);
        expect((err as StoreError).retriable, op).toBe(false);
      }
    });

    it('reports a missing bucket as a store error, not as a missing object', async () => {
      const store = open('/p');
      for (const [op, attempt] of [
        ['get', () => store.get('k')],
        ['put', () => store.put('k', [bytes(10, 1)])],
        ['list', () => listAll(store, '')],
      ] as const) {
        const err = await attempt().then(
          () => new Error(`${op} succeeded`),
          (e: unknown) => e,
        );
        expect(err, `${op}: ${String(err)}`).toBeInstanceOf(StoreError);
        expect(isNotFound(err), op).toBe(false);
        expect((err as StoreError).retriable, op).toBe(false);
        expect((err as Error).message, op).toMatch(/NoSuchBucket/);
      }
    });

    it('stops at once when the signal is aborted, with an error that is not retriable', async () => {
      const store = open();
      await store.ensureContainer();
      await store.put('k', [bytes(11, 1000)]);
      const signal = AbortSignal.abort();
      for (const attempt of [() => store.get('k', { signal }), () => store.put('k2', [bytes(12, 10)], { signal })]) {
        const err = await attempt().then(
          () => new Error('succeeded'),
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).retriable).toBe(false);
        expect((err as Error).message).toMatch(/aborted/);
      }
      expect(await storedKeys()).toEqual(['k']);
    });

    it('refuses a zero-length range past the end, and returns one at the end', async () => {
      const store = open();
      await store.ensureContainer();
      await store.put('k', [bytes(13, 10)]);
      expect((await store.get('k', { range: { offset: 10, length: 0 } })).length).toBe(0);
      await expect(store.get('k', { range: { offset: 11, length: 0 } })).rejects.toBeInstanceOf(InvalidRangeError);
    });

    describe('through a fault-injecting proxy', () => {
      it('turns throttling (503 SlowDown) into retriable store errors on every operation', async () => {
        await open().ensureContainer();
        await open().put('k', [bytes(14, 100)]);
        const p = await proxy({ throttle: 1, cut: 0 });
        const store = open('', '', { maxAttempts: 1 }, p.endpoint);
        for (const [op, attempt] of [
          ['put', () => store.put('k2', [bytes(15, 10)])],
          ['get', () => store.get('k')],
          ['head', () => store.head('k')],
          ['list', () => listAll(store, '')],
          ['delete', () => store.delete('k')],
        ] as const) {
          const err = await attempt().then(
            () => new Error(`${op} succeeded`),
            (e: unknown) => e,
          );
          expect(err, `${op}: ${String(err)}`).toBeInstanceOf(StoreError);
          expect(isNotFound(err), op).toBe(false);
          expect((err as StoreError).retriable, `${op}: ${String(err)}`).toBe(true);
        }
        expect(p.stats.throttled).toBe(5);
      });

      it('turns a connection cut mid-response into a retriable store error, never a short result', async () => {
        const direct = open();
        await direct.ensureContainer();
        await direct.put('big', [bytes(16, 1 << 20)]);
        for (let i = 0; i < 30; i++) await direct.put(`list/${i}`, [bytes(17, 1)]);
        const p = await proxy({ throttle: 0, cut: 1 });
        const store = open('', '', { maxAttempts: 1 }, p.endpoint);
        for (const [op, attempt] of [
          ['get', () => store.get('big')],
          ['ranged get', () => store.get('big', { range: { offset: 1000, length: 500_000 } })],
          ['list', () => listAll(store, 'list/')],
          ['put', () => store.put('k3', [bytes(18, 10)])],
        ] as const) {
          const err = await attempt().then(
            () => new Error(`${op} succeeded`),
            (e: unknown) => e,
          );
          expect(err, `${op}: ${String(err)}`).toBeInstanceOf(StoreError);
          expect((err as StoreError).retriable, `${op}: ${String(err)}`).toBe(true);
        }
        expect(p.stats.cut).toBeGreaterThanOrEqual(4);
      });

      it('counts a create-once put as done when the SDK resent it after a lost answer (atomicCreate stores)', async (ctx) => {
        if (!server.atomicCreate) ctx.skip('the store does not answer If-None-Match itself');
        const direct = open();
        await direct.ensureContainer();
        await direct.put('taken', [bytes(20, 100)]);
        // The proxy cuts the answer to the first PUT (which the server has stored), lets the SDK's
        // resend through (412: "exists") and the adapter's read-back after it.
        const seed = seedFor([true, false, false], 0.5);
        const mine = bytes(21, 5000);
        const p = await proxy({ throttle: 0, cut: 0.5, seed });
        await open('', '', { maxAttempts: 2 }, p.endpoint).put('mine', [mine], { ifNotExists: true });
        expect(p.stats).toMatchObject({ requests: 3, cut: 1 });
        expect((await direct.get('mine')).equals(mine)).toBe(true);
        // The same sequence on a key that holds another body is still "exists".
        const p2 = await proxy({ throttle: 0, cut: 0.5, seed });
        const err = await open('', '', { maxAttempts: 2 }, p2.endpoint)
          .put('taken', [bytes(22, 5000)], { ifNotExists: true })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ObjectExistsError);
        expect(p2.stats).toMatchObject({ requests: 3, cut: 1 });
        expect((await direct.get('taken')).equals(bytes(20, 100))).toBe(true);
      });

      it('treats a refused connection as retriable', async () => {
        const store = open('', '', { maxAttempts: 1 }, `http://127.0.0.1:${await closedPort()}`);
        const err = await store.get('k').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).retriable, String(err)).toBe(true);
      });

      it('round-trips every object through throttling and cut connections inside the retry wrapper', async () => {
        await open().ensureContainer();
        const p = await proxy({ throttle: 0.25, cut: 0.25, seed: 7 });
        const store: ObjectStore = new RetryingStore(open('/r', '', { maxAttempts: 1 }, p.endpoint), {
          budgetMs: 60_000,
          baseDelayMs: 1,
          maxDelayMs: 20,
        });
        const keys = Array.from({ length: 20 }, (_, i) => `obj/${i}`);
        await forEachBounded(keys, 4, (key, i) => store.put(key, [bytes(100 + i, 50_000 + i)], { ifNotExists: i % 2 === 0 }));
        for (const [i, key] of keys.entries()) {
          expect((await store.get(key)).equals(bytes(100 + i, 50_000 + i)), key).toBe(true);
          const r = await store.get(key, { range: { offset: 7, length: 1000 } });
          expect(r.equals(bytes(100 + i, 50_000 + i).subarray(7, 1007)), `${key} range`).toBe(true);
        }
        expect(await listAll(store, 'obj/')).toHaveLength(keys.length);
        expect(p.stats.throttled).toBeGreaterThan(0);
        expect(p.stats.cut).toBeGreaterThan(0);
      });
    });
  });
}

/** A proxy seed whose first requests are cut (true) or passed (false) in this order, at cut share `cut`. */
function seedFor(pattern: readonly boolean[], cut: number): number {
  for (let seed = 1; ; seed++) {
    const rng = new Rng(seed);
    if (pattern.every((isCut) => rng.next() < cut === isCut)) return seed;
  }
}

/** A port nothing listens on: one the OS handed out and took back. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
