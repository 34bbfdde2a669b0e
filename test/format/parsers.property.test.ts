// Every parser of bytes read back from a store, fed random, truncated and bit-flipped input
// (fast-check, seeded): each returns a value or throws its typed error (FormatError, SealError),
// never anything else, and never allocates from a length it has not checked (a decoder that
// did would throw RangeError or exhaust memory here, since the inputs claim huge sizes).
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/defaults.js';
import {
  FormatError,
  decodeConfig,
  decodeInterior,
  decodeLeaf,
  decodeManifest,
  decodeTrailer,
  encodeConfig,
  encodeInterior,
  encodeLeaf,
  encodeManifest,
  encodeTrailer,
} from '../../src/format/codec.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/format/checkpoint-codec.js';
import { Codec, compress, decompress } from '../../src/format/compress.js';
import { decodeForwardRecord, encodeForwardRecord } from '../../src/format/forward-codec.js';
import { decodeLease, encodeLease } from '../../src/format/lease-codec.js';
import { decodeHold, encodeHold } from '../../src/format/hold-codec.js';
import { decodePruneRecord, encodePruneRecord } from '../../src/format/prune-record-codec.js';
import { PackBuilder, readTrailer } from '../../src/format/pack.js';
import { BlobKind, SealError, makeSealer } from '../../src/format/seal.js';
import { PackKind } from '../../src/format/types.js';

const RUNS = { numRuns: 300, seed: 20261202 };
const b16 = () => randomBytes(16);
const ref = () => ({ pack: b16(), offset: 4096, length: 1000, id: b16(), rawLength: 2000 });
const nodeRef = () => ({ blob: ref(), digest: randomBytes(32) });

/** Valid encodings of each message, the seeds that mutations start from. */
const VALID = {
  leaf: encodeLeaf({ extents: [{ start: 0, length: 1500, chunk: ref(), chunkOffset: 0 }], fingerprints: randomBytes(64 * 16) }),
  interior: encodeInterior({ level: 1, children: [0, 3, 255].map((index) => ({ index, ref: nodeRef() })) }),
  manifest: encodeManifest({
    id: b16(),
    volume: 'db01',
    parent: b16(),
    timeMs: 1_700_000_000_000,
    size: 64 << 20,
    labels: { site: 'a' },
    root: nodeRef(),
    rootLevel: 1,
    imageDigest: randomBytes(32),
    packs: [b16(), b16()],
    stats: { bytesRead: 1, bytesChanged: 1, bytesUploaded: 1, objectsUploaded: 1, mode: 'full' },
  }),
  checkpoint: encodeCheckpoint({
    id: b16(),
    run: b16(),
    volume: 'db01',
    parent: b16(),
    size: 3 * 2 ** 30,
    rootLevel: 2,
    done: 700,
    nodes: [
      { level: 1, index: 0, ref: nodeRef() },
      { level: 1, index: 1, ref: nodeRef() },
      { level: 0, index: 512, ref: nodeRef() },
      { level: 0, index: 699, ref: nodeRef() },
    ],
    startedMs: 1_700_000_000_000,
    timeMs: 1_700_000_060_000,
  }),
  forward: encodeForwardRecord({
    id: b16(),
    createdMs: 1_700_000_000_000,
    moves: [{ from: b16(), to: b16(), fromOffsets: [0, 70_000, 140_000], toOffsets: [0, 65_000, 130_000] }],
  }),
  prune: encodePruneRecord({ id: b16(), createdMs: 1_700_000_000_000, packs: [{ pack: b16(), sinceMs: 1_600_000_000_000, released: true }] }),
  hold: encodeHold({ id: b16(), volume: 'db01', snapshot: b16(), untilMs: 1_800_000_000_000, reason: 'case 4711', createdMs: 1_700_000_000_000 }),
  lease: encodeLease({
    id: b16(),
    owner: b16(),
    host: 'h1',
    pid: 123,
    operation: 'backup',
    kind: 'shared',
    volume: 'db01',
    startedMs: 1_700_000_000_000,
    refreshedMs: 1_700_000_300_000,
  }),
  trailer: encodeTrailer({ pack: b16(), kind: PackKind.Data, entries: [{ id: b16(), offset: 0, length: 100, rawLength: 200 }] }),
  config: encodeConfig({
    version: 1,
    repoId: b16(),
    key: null,
    compression: Codec.Zstd,
    blockSize: 4096,
    fingerprintSize: 16384,
    segmentSize: 1 << 20,
    fanout: 256,
    packSize: 16 << 20,
    maxChunkSize: 1 << 20,
    dataTier: '',
    createdMs: 1_700_000_000_000,
    immutability: null,
  }),
};

const DECODERS: Array<[name: keyof typeof VALID, decode: (b: Uint8Array) => unknown]> = [
  ['leaf', (b) => decodeLeaf(b, LIMITS.nodeBytes)],
  ['interior', (b) => decodeInterior(b, LIMITS.nodeBytes, 256)],
  ['manifest', (b) => decodeManifest(b, LIMITS.manifestBytes)],
  ['trailer', (b) => decodeTrailer(b, LIMITS.trailerBytes)],
  ['checkpoint', (b) => decodeCheckpoint(b, 16 << 20, 256)],
  ['forward', (b) => decodeForwardRecord(b, 1 << 20)],
  ['prune', (b) => decodePruneRecord(b, 1 << 20)],
  ['hold', (b) => decodeHold(b, 1 << 20)],
  ['lease', (b) => decodeLease(b, 16 << 10)],
  ['config', (b) => decodeConfig(b, LIMITS.configBytes)],
];

/** Random bytes, or a valid encoding cut short, or one with bits flipped, or with bytes spliced in. */
function mutated(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const n = valid.length;
  return fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    fc.integer({ min: 0, max: n }).map((cut) => valid.slice(0, cut)),
    fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const b = valid.slice();
      for (const [i, bit] of flips) b[i]! ^= 1 << bit;
      return b;
    }),
    fc.tuple(fc.integer({ min: 0, max: n }), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, junk]) => {
      const b = new Uint8Array(n + junk.length);
      b.set(valid.subarray(0, at));
      b.set(junk, at);
      b.set(valid.subarray(at), at + junk.length);
      return b;
    }),
  );
}

/** Runs `f`; passes when it returns or throws one of `allowed`, fails naming anything else. */
function onlyTyped(f: () => unknown, ...allowed: Array<new (...a: never[]) => Error>): void {
  try {
    f();
  } catch (err) {
    if (!allowed.some((c) => err instanceof c)) throw new Error(`untyped ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
  }
}

describe('decoders of stored messages', () => {
  for (const [name, decode] of DECODERS) {
    it(`${name}: a valid encoding decodes, and any mutation of it gives a value or a FormatError`, () => {
      expect(() => decode(VALID[name])).not.toThrow();
      fc.assert(
        fc.property(mutated(VALID[name]), (bytes) => onlyTyped(() => decode(bytes), FormatError)),
        RUNS,
      );
    });
  }

  it('refuses input over the limit before decoding it', () => {
    expect(() => decodeLeaf(new Uint8Array(LIMITS.nodeBytes + 1), LIMITS.nodeBytes)).toThrow(FormatError);
  });
});

describe('decompression', () => {
  it('gives exactly rawLength bytes or an error, whatever the frame claims', () => {
    const text = Buffer.from('snaptier '.repeat(4000));
    for (const codec of [Codec.Zstd, Codec.Lz4]) {
      const packed = compress(codec, text);
      expect(packed.codec).toBe(codec);
      const good = packed.data as Uint8Array;
      expect(decompress(codec, good, text.length).equals(text)).toBe(true);
      fc.assert(
        fc.property(mutated(good), fc.integer({ min: 0, max: 1 << 20 }), (bytes, rawLength) => {
          try {
            const out = decompress(codec, bytes, rawLength);
            expect(out.length).toBe(rawLength);
          } catch (err) {
            expect(err).toBeInstanceOf(Error);
            expect(err).not.toBeInstanceOf(RangeError);
          }
        }),
        RUNS,
      );
    }
    // A length no blob may have is refused before anything is allocated for it.
    expect(() => decompress(Codec.Zstd, good4(), 2 ** 40)).toThrow(/out of range/);
  });
});

function good4(): Uint8Array {
  return compress(Codec.Zstd, Buffer.alloc(4096, 1)).data as Uint8Array;
}

describe('sealed blobs and pack trailers', () => {
  for (const encrypted of [true, false]) {
    const sealer = makeSealer(encrypted ? randomBytes(32) : null, Codec.Zstd);
    const id = b16();
    const plain = Buffer.from('chunk data '.repeat(300));
    const sealed = Buffer.concat(sealer.seal(BlobKind.Data, id, plain));

    it(`${encrypted ? 'AES-GCM' : 'SHA-256'} seal: any mutation fails to open with a SealError`, () => {
      expect(sealer.open(BlobKind.Data, id, sealed, plain.length).equals(plain)).toBe(true);
      fc.assert(
        fc.property(mutated(sealed), fc.integer({ min: 0, max: 1 << 22 }), (bytes, rawLength) =>
          onlyTyped(() => sealer.open(BlobKind.Data, id, bytes, rawLength), SealError),
        ),
        RUNS,
      );
    });

    it(`${encrypted ? 'encrypted' : 'plain'} pack: a torn, truncated or flipped pack gives FormatError or SealError`, () => {
      const builder = new PackBuilder(PackKind.Data, sealer);
      for (let i = 0; i < 5; i++) builder.addSealed(b16(), sealer.seal(BlobKind.Data, b16(), randomBytes(500)), 500);
      const packId = builder.id;
      const pack = Buffer.concat(builder.finish());
      expect(readTrailer(pack, packId, sealer).entries.length).toBe(5);
      fc.assert(
        fc.property(mutated(pack), (bytes) => onlyTyped(() => readTrailer(Buffer.from(bytes), packId, sealer), FormatError, SealError)),
        { ...RUNS, numRuns: 150 },
      );
    });
  }
});
