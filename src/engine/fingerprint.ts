// Fingerprints (the first 16 bytes of SHA-256 of each fingerprint block) and the Merkle digest
// built over them, which is the recorded digest of a whole image.
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { FINGERPRINT_BYTES } from '../defaults.js';
import type { Geometry } from './context.js';

const ZERO = Buffer.alloc(1 << 20);
const zeroFps = new Map<number, Buffer>();
const zeroDigests = new Map<string, Buffer>();

// One-shot hashing (Node 20.12+ and 21.7+) skips building a Hash object per block: ~8% of the
// cost of fingerprinting 16 KiB blocks, which backup and restore do for every block they touch.
type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

export function fingerprint(data: Uint8Array): Buffer {
  const digest = oneShot ? oneShot('sha256', data, 'buffer') : createHash('sha256').update(data).digest();
  return digest.subarray(0, FINGERPRINT_BYTES);
}

/** Fingerprint of `length` zero bytes. */
export function zeroFingerprint(length: number): Buffer {
  let fp = zeroFps.get(length);
  if (!fp) {
    const h = createHash('sha256');
    for (let left = length; left > 0; left -= ZERO.length) h.update(ZERO.subarray(0, Math.min(left, ZERO.length)));
    fp = h.digest().subarray(0, FINGERPRINT_BYTES);
    zeroFps.set(length, fp);
  }
  return fp;
}

export function isZero(data: Uint8Array): boolean {
  for (let o = 0; o < data.length; o += ZERO.length) {
    const n = Math.min(ZERO.length, data.length - o);
    if (Buffer.compare(data.subarray(o, o + n), ZERO.subarray(0, n)) !== 0) return false;
  }
  return true;
}

export function zeroBuffer(length: number): Buffer {
  return length <= ZERO.length ? ZERO.subarray(0, length) : Buffer.alloc(length);
}

/** Fingerprints of a segment of `length` bytes that is all holes. */
export function zeroLeafFingerprints(length: number, g: Geometry): Buffer {
  const count = Math.ceil(length / g.fingerprintSize);
  const out = Buffer.allocUnsafe(count * FINGERPRINT_BYTES);
  for (let i = 0; i < count; i++) {
    const len = Math.min(g.fingerprintSize, length - i * g.fingerprintSize);
    zeroFingerprint(len).copy(out, i * FINGERPRINT_BYTES);
  }
  return out;
}

export function leafDigest(fingerprints: Uint8Array): Buffer {
  return createHash('sha256').update('leaf').update(fingerprints).digest();
}

export function interiorDigest(childDigests: readonly Uint8Array[]): Buffer {
  const h = createHash('sha256').update('node');
  for (const d of childDigests) h.update(d);
  return h.digest();
}

/** Digest of a node at `level` whose whole span is zeros and lies inside the volume. */
export function zeroDigest(level: number, g: Geometry): Buffer {
  const key = `${level}/${g.segmentSize}/${g.fingerprintSize}/${g.fanout}`;
  let d = zeroDigests.get(key);
  if (!d) {
    d =
      level === 0
        ? leafDigest(zeroLeafFingerprints(g.segmentSize, g))
        : interiorDigest(new Array<Buffer>(g.fanout).fill(zeroDigest(level - 1, g)));
    zeroDigests.set(key, d);
  }
  return d;
}

/** Digest of an empty volume. */
export const EMPTY_DIGEST = createHash('sha256').update('empty').digest();
