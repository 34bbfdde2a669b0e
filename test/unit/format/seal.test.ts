// A sealed blob cannot be changed unnoticed: every single-bit flip of the nonce, the sealed
// header (codec byte), the ciphertext or payload, and the tag or checksum is refused with a
// SealError, as is opening under another kind, id or key. Both sealers, both codecs.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Codec } from '../../../src/format/compress.js';
import { BlobKind, SEAL_OVERHEAD_ENCRYPTED, SEAL_OVERHEAD_PLAIN, SealError, type Sealer, makeSealer } from '../../../src/format/seal.js';
import { Rng } from '../../helpers/random.js';

const KEY = Buffer.alloc(32, 7);
const ID = Buffer.alloc(16, 0x42);

/** A plaintext that compresses (half repeated) or not, seeded. */
function plaintext(seed: number, n: number, compressible: boolean): Buffer {
  const rng = new Rng(seed);
  if (!compressible) return rng.bytes(n);
  const half = rng.bytes(n >> 1);
  return Buffer.concat([half, half, rng.bytes(n & 1)]);
}

/** Every region of a sealed blob, by byte range, for each layout of seal.ts. */
function regions(encrypted: boolean, length: number): Record<string, [number, number]> {
  return encrypted
    ? { nonce: [0, 12], header: [12, 13], ciphertext: [13, length - 16], tag: [length - 16, length] }
    : { header: [0, 1], payload: [1, length - 16], checksum: [length - 16, length] };
}

const cases: Array<{ name: string; sealer: Sealer; codec: Codec; compressible: boolean }> = [
  { name: 'AES-GCM, zstd', sealer: makeSealer(KEY, Codec.Zstd), codec: Codec.Zstd, compressible: true },
  { name: 'AES-GCM, stored', sealer: makeSealer(KEY, Codec.Zstd), codec: Codec.Zstd, compressible: false },
  { name: 'plain, lz4', sealer: makeSealer(null, Codec.Lz4), codec: Codec.Lz4, compressible: true },
  { name: 'plain, stored', sealer: makeSealer(null, Codec.Lz4), codec: Codec.Lz4, compressible: false },
];

describe.each(cases)('sealed blob ($name)', ({ sealer, codec, compressible }) => {
  const plain = plaintext(codec * 10 + (compressible ? 1 : 0), 301, compressible);
  const sealed = Buffer.concat(sealer.seal(BlobKind.Data, ID, plain, codec));

  it('opens to the plaintext it sealed', () => {
    expect(sealed.length).toBeGreaterThanOrEqual(sealer.encrypted ? SEAL_OVERHEAD_ENCRYPTED : SEAL_OVERHEAD_PLAIN);
    expect(sealer.open(BlobKind.Data, ID, sealed, plain.length).equals(plain)).toBe(true);
  });

  it.each(Object.keys(regions(sealer.encrypted, 100)))('refuses every one-bit flip of the %s with SealError', (region) => {
    const [from, to] = regions(sealer.encrypted, sealed.length)[region]!;
    expect(to).toBeGreaterThan(from);
    for (let at = from; at < to; at++) {
      for (const bit of [0x01, 0x80]) {
        const bad = Buffer.from(sealed);
        bad[at]! ^= bit;
        expect(() => sealer.open(BlobKind.Data, ID, bad, plain.length), `${region} byte ${at} bit ${bit}`).toThrow(SealError);
      }
    }
  });

  it('refuses a truncated or extended blob, another kind, another id', () => {
    for (const bad of [sealed.subarray(0, sealed.length - 1), Buffer.concat([sealed, Buffer.of(0)]), sealed.subarray(1), Buffer.alloc(0)]) {
      expect(() => sealer.open(BlobKind.Data, ID, bad, plain.length)).toThrow(SealError);
    }
    expect(() => sealer.open(BlobKind.Node, ID, sealed, plain.length)).toThrow(SealError);
    const other = Buffer.from(ID);
    other[15]! ^= 1;
    expect(() => sealer.open(BlobKind.Data, other, sealed, plain.length)).toThrow(SealError);
  });
});

describe('AES-GCM sealer', () => {
  it('refuses a blob sealed under another key, and never reuses a nonce', () => {
    const a = makeSealer(KEY, Codec.Zstd);
    const b = makeSealer(randomBytes(32), Codec.Zstd);
    const plain = plaintext(5, 1000, true);
    const sealed = Buffer.concat(a.seal(BlobKind.Manifest, ID, plain));
    expect(() => b.open(BlobKind.Manifest, ID, sealed, plain.length)).toThrow(SealError);
    const again = Buffer.concat(a.seal(BlobKind.Manifest, ID, plain));
    expect(again.subarray(0, 12).equals(sealed.subarray(0, 12))).toBe(false);
  });
});

describe('sealing one blob after another (compression reuses its output buffer)', () => {
  it.each([
    { name: 'plain, zstd', key: null },
    { name: 'AES-GCM, zstd', key: KEY },
  ])('a sealed blob stays intact when the next one is sealed ($name)', ({ key }) => {
    const sealer = makeSealer(key, Codec.Zstd);
    const first = plaintext(31, 200_000, true);
    const sealed = sealer.seal(BlobKind.Data, ID, first, Codec.Zstd);
    const kept = Buffer.concat(sealed);
    sealer.seal(BlobKind.Data, ID, plaintext(32, 200_000, true), Codec.Zstd);
    // The parts as returned, not a copy taken in between: what a pack writer holds on to.
    expect(Buffer.concat(sealed).equals(kept)).toBe(true);
    expect(sealer.open(BlobKind.Data, ID, Buffer.concat(sealed), first.length).equals(first)).toBe(true);
  });
});
