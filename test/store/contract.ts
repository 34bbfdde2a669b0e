// The behaviour every ObjectStore must show, as one suite that each adapter's own test runs
// (restic's backend/test, kopia's blobtesting): a store that passes it can hold a repository.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidRangeError, ObjectExistsError, type ObjectStore, type StoreError, isNotFound } from '../../src/store/object-store.js';
import { Rng } from '../helpers/random.js';

export interface StoreFixture {
  store: ObjectStore;
  cleanup: () => Promise<void>;
}

/** Builds a fresh, empty store for one test; `cleanup` closes it and removes everything it made. */
export type MakeStore = () => Promise<StoreFixture>;

const MiB = 1024 * 1024;
/** Over 64 MiB and a multiple of no part size: adapters send it in parts or staged blocks, and the last part is odd. */
const LARGE_SIZE = 65 * MiB + 123;
/** More than one page of a listing (S3 and Azure return at most 1000 keys a page). */
const MANY_KEYS = 1100;
const WRITERS = 16;
const RACERS = 8;

export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`${name}: ObjectStore contract`, () => {
    let fixture: StoreFixture | undefined;
    let store: ObjectStore;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
      await store.ensureContainer();
    });
    afterEach(async () => {
      // The fixture owns the store's life: its cleanup closes it and removes what it holds.
      await fixture?.cleanup();
      fixture = undefined;
    });

    describe('put and get', () => {
      it('returns exactly the bytes that were put', async () => {
        const body = bytes(1, 100_003);
        await store.put('data/00/object', [body]);
        const got = await store.get('data/00/object');
        expect(Buffer.isBuffer(got)).toBe(true);
        expectSame(got, body);
        expect(await store.head('data/00/object')).toMatchObject({ key: 'data/00/object', size: body.length });
      });

      it('ensureContainer can be called again on a store that exists and holds objects', async () => {
        await store.put('config', [bytes(2, 10)]);
        await store.ensureContainer();
        expectSame(await store.get('config'), bytes(2, 10));
      });

      it('returns ranges at the start, the middle and the end of an object', async () => {
        const body = bytes(3, 10_000);
        await store.put('ranged', [body]);
        for (const [offset, length] of [
          [0, 1],
          [0, 4096],
          [4096, 1],
          [1234, 5678],
          [9999, 1],
          [6000, 4000],
          [0, 10_000],
        ] as const) {
          const got = await store.get('ranged', { range: { offset, length } });
          expectSame(got, body.subarray(offset, offset + length), `range ${offset}+${length}`);
        }
      });

      it('reads a range into memory it is given, or into its own: the result holds the bytes either way', async () => {
        const body = bytes(7, 10_000);
        await store.put('into', [body]);
        const into = Buffer.from(new SharedArrayBuffer(5678));
        const got = await store.get('into', { range: { offset: 1234, length: 5678 }, into });
        expectSame(got, body.subarray(1234, 6912), 'range 1234+5678 read into shared memory');
        // A buffer of another length than the range is not used.
        const wrong = Buffer.alloc(10);
        expectSame(await store.get('into', { range: { offset: 0, length: 100 }, into: wrong }), body.subarray(0, 100), 'range 0+100');
        expect(wrong.equals(Buffer.alloc(10))).toBe(true);
      });

      it('refuses a range that runs past the end with InvalidRangeError', async () => {
        await store.put('short', [bytes(4, 100)]);
        for (const range of [
          { offset: 99, length: 2 },
          { offset: 0, length: 101 },
          { offset: 100, length: 1 },
          { offset: 5000, length: 10 },
          { offset: -1, length: 10 },
          { offset: 0, length: -1 },
        ]) {
          const err = await rejection(store.get('short', { range }), `range ${range.offset}+${range.length}`);
          expect(err, describeError(err)).toBeInstanceOf(InvalidRangeError);
          expect((err as StoreError).retriable).toBe(false);
        }
      });

      it('concatenates a body given in several parts, whatever views they are', async () => {
        const backing = bytes(5, 3000);
        // Views into one larger buffer: an adapter must honour byteOffset and byteLength.
        const parts = [
          new Uint8Array(backing.buffer, backing.byteOffset + 100, 1000),
          new Uint8Array(0),
          backing.subarray(1500, 1501),
          Uint8Array.from(backing.subarray(2000, 3000)),
        ];
        await store.put('parts', parts);
        const want = Buffer.concat(parts);
        expect(want.length).toBe(2001);
        expectSame(await store.get('parts'), want);
        expect((await store.head('parts')).size).toBe(2001);
      });

      it('stores empty objects, from no parts or from one empty part', async () => {
        await store.put('empty/none', []);
        await store.put('empty/one', [new Uint8Array(0)]);
        for (const key of ['empty/none', 'empty/one']) {
          expect((await store.get(key)).length).toBe(0);
          expect(await store.head(key)).toMatchObject({ key, size: 0 });
          const err = await rejection(store.get(key, { range: { offset: 0, length: 1 } }), `range 0+1 of ${key}`);
          expect(err, describeError(err)).toBeInstanceOf(InvalidRangeError);
        }
        expect(await listAll(store, 'empty/')).toEqual([
          { key: 'empty/none', size: 0 },
          { key: 'empty/one', size: 0 },
        ]);
      });

      it('overwrites without ifNotExists, leaving nothing of the longer old object', async () => {
        await store.put('over', [bytes(6, 5000)]);
        const second = bytes(7, 1200);
        await store.put('over', [second]);
        expectSame(await store.get('over'), second);
        expect((await store.head('over')).size).toBe(1200);
        expect(await listAll(store, 'over')).toEqual([{ key: 'over', size: 1200 }]);
      });
    });

    describe('missing objects', () => {
      it('get, ranged get and head of a missing key raise a not-found error naming the key', async () => {
        await store.put('present', [bytes(8, 10)]);
        for (const [what, attempt] of [
          ['get', () => store.get('absent/key')],
          ['ranged get', () => store.get('absent/key', { range: { offset: 0, length: 1 } })],
          ['head', () => store.head('absent/key')],
        ] as const) {
          const err = await rejection(attempt(), what);
          expect(isNotFound(err), `${what}: ${describeError(err)}`).toBe(true);
          expect((err as { key?: string }).key).toBe('absent/key');
          expect((err as StoreError).retriable).toBe(false);
        }
      });

      it('a key that is only a prefix of other keys, or lies under an object, is not an object', async () => {
        await store.put('tree/ab/0001', [bytes(9, 10)]);
        await store.put('tree/cd', [bytes(10, 10)]);
        for (const key of ['tree/ab', 'tree', 'tree/cd/0001']) {
          for (const [what, attempt] of [
            ['get', () => store.get(key)],
            ['head', () => store.head(key)],
          ] as const) {
            const err = await rejection(attempt(), `${what} ${key}`);
            expect(isNotFound(err), `${what} ${key}: ${describeError(err)}`).toBe(true);
          }
          await store.delete(key);
        }
        expect(await listAll(store, 'tree/')).toEqual([
          { key: 'tree/ab/0001', size: 10 },
          { key: 'tree/cd', size: 10 },
        ]);
      });
    });

    describe('create once (ifNotExists)', () => {
      it('creates a missing key', async () => {
        const body = bytes(11, 300);
        await store.put('locks/one', [body], { ifNotExists: true });
        expectSame(await store.get('locks/one'), body);
      });

      it('raises ObjectExistsError on an existing key and leaves the original content', async () => {
        const original = bytes(12, 777);
        await store.put('snapshots/x/1', [original]);
        const err = await rejection(store.put('snapshots/x/1', [bytes(13, 50)], { ifNotExists: true }), 'second put');
        expect(err, describeError(err)).toBeInstanceOf(ObjectExistsError);
        expect((err as ObjectExistsError).key).toBe('snapshots/x/1');
        expect((err as StoreError).retriable).toBe(false);
        expectSame(await store.get('snapshots/x/1'), original);
        expect(await listAll(store, 'snapshots/')).toEqual([{ key: 'snapshots/x/1', size: 777 }]);
      });

      it('creates a key again once it has been deleted', async () => {
        await store.put('locks/again', [bytes(14, 10)], { ifNotExists: true });
        await store.delete('locks/again');
        const body = bytes(15, 20);
        await store.put('locks/again', [body], { ifNotExists: true });
        expectSame(await store.get('locks/again'), body);
      });

      it(`lets exactly one of ${RACERS} concurrent creators of a key win (atomicCreate stores)`, async (ctx) => {
        if (!store.capabilities.atomicCreate) ctx.skip('the store does not enforce ifNotExists atomically');
        // Bodies large enough that the writes overlap in time, each different so the winner shows.
        const bodies = Array.from({ length: RACERS }, (_, i) => bytes(100 + i, 256 * 1024 + i));
        const results = await Promise.allSettled(bodies.map((body) => store.put('locks/race', [body], { ifNotExists: true })));
        const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        expect(winners).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason, describeError(r.reason)).toBeInstanceOf(ObjectExistsError);
        }
        expectSame(await store.get('locks/race'), bodies[winners[0]!]!);
      });

      it(`leaves one whole body after ${RACERS} concurrent overwrites of a key`, async () => {
        const bodies = Array.from({ length: RACERS }, (_, i) => bytes(200 + i, 128 * 1024 + 17 * i));
        await Promise.all(bodies.map((body) => store.put('config', [body])));
        const got = await store.get('config');
        const match = bodies.find((b) => b.length === got.length && b.equals(got));
        expect(match, `the stored ${got.length} bytes are none of the bodies put`).toBeDefined();
      });
    });

    describe('list', () => {
      const layout: Record<string, number> = {
        'data/a/1': 1,
        'data/a/2': 2,
        'data/ab/1': 3,
        'data/abc': 4,
        datax: 5,
        'index/a/1': 6,
        top: 7,
      };

      async function putLayout(): Promise<void> {
        let seed = 300;
        for (const [key, size] of Object.entries(layout)) await store.put(key, [bytes(seed++, size)]);
      }

      function expected(prefix: string): Array<{ key: string; size: number }> {
        return Object.entries(layout)
          .filter(([key]) => key.startsWith(prefix))
          .map(([key, size]) => ({ key, size }))
          .sort(byKey);
      }

      it('returns exactly the keys under a prefix, with their sizes', async () => {
        await putLayout();
        for (const prefix of ['data/a/', 'data/ab/', 'data/ab', 'data/', 'data', 'index/', 'data/a/1', 'top', '']) {
          expect(await listAll(store, prefix), `prefix '${prefix}'`).toEqual(expected(prefix));
        }
        expect(await listAll(store, 'data/a/').then((l) => l.map((o) => o.key))).toEqual(['data/a/1', 'data/a/2']);
      });

      it('returns nothing for a prefix no key starts with, and nothing from an empty store', async () => {
        expect(await listAll(store, '')).toEqual([]);
        expect(await listAll(store, 'data/')).toEqual([]);
        await putLayout();
        for (const prefix of ['nothing/', 'data/b', 'data/a/3', 'index/b/', 'topx']) {
          expect(await listAll(store, prefix), `prefix '${prefix}'`).toEqual([]);
        }
      });

      it(`returns all of ${MANY_KEYS} keys under one prefix, each once, past one page`, async () => {
        const keys = Array.from({ length: MANY_KEYS }, (_, i) => `many/${String(i).padStart(5, '0')}`);
        await forEachBounded(keys, WRITERS, (key, i) => store.put(key, [bytes(i, i % 13)]));
        // Siblings that share the string but not the prefix.
        await store.put('many-other/00000', [bytes(1, 1)]);
        await store.put('manyx', [bytes(1, 1)]);
        const listed = await listAll(store, 'many/');
        expect(listed).toHaveLength(MANY_KEYS);
        expect(listed).toEqual(keys.map((key, i) => ({ key, size: i % 13 })));
      });
    });

    describe('delete', () => {
      it('removes the object and nothing else', async () => {
        await store.put('data/a/1', [bytes(16, 10)]);
        await store.put('data/a/2', [bytes(17, 20)]);
        await store.delete('data/a/1');
        for (const [what, attempt] of [
          ['get', () => store.get('data/a/1')],
          ['head', () => store.head('data/a/1')],
        ] as const) {
          const err = await rejection(attempt(), `${what} after delete`);
          expect(isNotFound(err), `${what}: ${describeError(err)}`).toBe(true);
        }
        expect(await listAll(store, 'data/')).toEqual([{ key: 'data/a/2', size: 20 }]);
        expectSame(await store.get('data/a/2'), bytes(17, 20));
      });

      it('succeeds for a key that does not exist, and twice in a row', async () => {
        await store.delete('never/was');
        await store.put('once', [bytes(18, 1)]);
        await store.delete('once');
        await store.delete('once');
        expect(await listAll(store, '')).toEqual([]);
      });
    });

    describe(`a large object (${LARGE_SIZE} bytes)`, () => {
      it('round-trips whole and by ranges, across the 64 MiB mark', async () => {
        const body = bytes(19, LARGE_SIZE);
        // Uneven parts, as a pack writer hands them over.
        const parts = [body.subarray(0, 7 * MiB + 5), body.subarray(7 * MiB + 5, 40 * MiB), body.subarray(40 * MiB)];
        await store.put('data/ff/large', parts);
        expect(await store.head('data/ff/large')).toMatchObject({ key: 'data/ff/large', size: LARGE_SIZE });
        expectSame(await store.get('data/ff/large'), body, 'whole object');
        for (const [offset, length] of [
          [0, MiB],
          [64 * MiB - 4096, 8192 + 1],
          [MiB + 7, 32 * MiB],
          [LARGE_SIZE - 5000, 5000],
          [LARGE_SIZE - 1, 1],
          [0, LARGE_SIZE],
        ] as const) {
          const got = await store.get('data/ff/large', { range: { offset, length } });
          expectSame(got, body.subarray(offset, offset + length), `range ${offset}+${length}`);
        }
        const err = await rejection(store.get('data/ff/large', { range: { offset: LARGE_SIZE - 10, length: 11 } }), 'range past the end');
        expect(err, describeError(err)).toBeInstanceOf(InvalidRangeError);
        expect(await listAll(store, 'data/')).toEqual([{ key: 'data/ff/large', size: LARGE_SIZE }]);
      });
    });
  });
}

/** Seeded bytes, so a failure reproduces. */
export function bytes(seed: number, n: number): Buffer {
  return new Rng(seed * 7919 + n).bytes(n);
}

/** Every object under `prefix`, sorted by key; fails when the store lists a key twice. */
export async function listAll(store: ObjectStore, prefix: string): Promise<Array<{ key: string; size: number }>> {
  const out: Array<{ key: string; size: number }> = [];
  for await (const o of store.list(prefix)) out.push({ key: o.key, size: o.size });
  const keys = out.map((o) => o.key);
  expect(new Set(keys).size, `list('${prefix}') returned a key twice`).toBe(keys.length);
  return out.sort(byKey);
}

/** Runs `fn` over `items` with `workers` pulling from one shared iterator (at most `workers` in flight). */
export async function forEachBounded<T>(
  items: readonly T[],
  workers: number,
  fn: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  const it = items.entries();
  const worker = async (): Promise<void> => {
    for (let next = it.next(); !next.done; next = it.next()) await fn(next.value[1], next.value[0]);
  };
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, worker));
}

/** Compares by length and SHA-256, so a mismatch of 65 MiB prints two lines, not a diff. */
function expectSame(got: Uint8Array, want: Uint8Array, what = 'content'): void {
  expect({ length: got.byteLength, sha256: sha256(got) }, what).toEqual({ length: want.byteLength, sha256: sha256(want) });
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

async function rejection(p: Promise<unknown>, what: string): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error(`${what}: expected an error, but it succeeded`);
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
