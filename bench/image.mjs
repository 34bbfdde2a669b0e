// Deterministic test images: a seeded PRNG, the 30/30/40 zeros/random/log-text image, the
// changes applied between snapshots (scattered 4 KiB blocks, one contiguous run) and the sparse
// volume of the scale mode. Everything derives from the seed; nothing here measures anything.
import { closeSync, copyFileSync, ftruncateSync, openSync, writeSync } from 'node:fs';

export const MiB = 1 << 20;
export const BLOCK = 4096;

/** splitmix32: turns (seed, stream, index) into a well-mixed 32-bit seed for a sub-stream. */
export function mix(...parts) {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = (h + (p >>> 0) + 0x9e3779b9) | 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for test data (not for anything secret). */
export class Rng {
  constructor(seed) {
    this.a = seed >>> 0;
  }
  next32() {
    this.a = (this.a + 0x6d2b79f5) | 0;
    let t = Math.imul(this.a ^ (this.a >>> 15), 1 | this.a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform integer in [0, n), n up to 2^53 (two draws above 2^32). */
  int(n) {
    if (n <= 0x100000000) return Math.floor((this.next32() / 0x100000000) * n);
    const x = this.next32() * 0x100000000 + this.next32();
    return Math.floor((x / 2 ** 64) * n);
  }
  /** Fills a buffer with random bytes, 4-byte words at a time (inlined generator: ~1 GB/s). */
  fill(buf) {
    const words = buf.length >>> 2;
    const u32 = buf.byteOffset % 4 === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, words) : null;
    let a = this.a;
    if (u32) {
      for (let i = 0; i < words; i++) {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        u32[i] = t ^ (t >>> 14);
      }
    }
    this.a = a;
    for (let i = u32 ? words * 4 : 0; i < buf.length; i++) buf[i] = this.next32() & 0xff;
    return buf;
  }
}

/** A buffer whose memory starts 4-byte aligned (large allocations are never pooled). */
export function alignedBuffer(n) {
  return Buffer.from(new ArrayBuffer(n));
}

const enc = (list) => list.map((x) => Buffer.from(String(x), 'latin1'));
const LEVELS = enc(['INFO ', 'INFO ', 'INFO ', 'INFO ', 'INFO ', 'INFO ', 'INFO ', 'INFO ', 'DEBUG', 'WARN ', 'INFO ', 'ERROR']);
const SERVICES = enc(['api', 'auth', 'billing', 'search', 'worker', 'gateway']);
const METHODS = enc(['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE']);
const PATHS = enc(['/api/v1/items/', '/api/v1/users/', '/api/v1/orders/', '/api/v2/search?q=', '/healthz?n=', '/static/img/', '/api/v1/carts/', '/login?session=']);
const STATUS = enc([200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 404, 404, 500, 503]);
const MSGS = enc(['ok', 'ok', 'ok', 'cache hit', 'cache miss', 'slow query', 'retrying upstream', 'validation failed', 'connection reset by peer', 'timeout waiting for lock']);
const HEX = Buffer.from('0123456789abcdef', 'latin1');
let scratch = Buffer.alloc(0);

function put(b, p, src) {
  for (let i = 0; i < src.length; i++) b[p + i] = src[i];
  return p + src.length;
}
function putStr(b, p, s) {
  for (let i = 0; i < s.length; i++) b[p + i] = s.charCodeAt(i);
  return p + s.length;
}
function put2(b, p, n) {
  b[p] = 48 + ((n / 10) | 0);
  b[p + 1] = 48 + (n % 10);
  return p + 2;
}
function putInt(b, p, n) {
  let digits = 1;
  for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
  for (let i = digits - 1; i >= 0; i--) {
    b[p + i] = 48 + (n % 10);
    n = (n / 10) | 0;
  }
  return p + digits;
}

/**
 * Fills `buf` with log-like lines (monotonic timestamps, levels, services, request ids, paths,
 * status, sizes, durations, a message), written byte by byte: ~200 MB/s.
 */
export function fillText(buf, rng) {
  if (scratch.length < buf.length + 512) scratch = Buffer.alloc(buf.length + 512);
  const b = scratch;
  let p = 0;
  let ms = rng.int(86_400_000);
  const day = 1 + rng.int(28);
  while (p < buf.length) {
    ms = (ms + rng.int(40)) % 86_400_000;
    p = putStr(b, p, '2026-11-');
    p = put2(b, p, day);
    b[p++] = 84; // T
    p = put2(b, p, Math.floor(ms / 3_600_000));
    b[p++] = 58;
    p = put2(b, p, Math.floor(ms / 60_000) % 60);
    b[p++] = 58;
    p = put2(b, p, Math.floor(ms / 1000) % 60);
    b[p++] = 46;
    const milli = ms % 1000;
    b[p++] = 48 + ((milli / 100) | 0);
    p = put2(b, p, milli % 100);
    p = putStr(b, p, 'Z ');
    p = put(b, p, LEVELS[rng.int(LEVELS.length)]);
    p = putStr(b, p, ' [');
    p = put(b, p, SERVICES[rng.int(SERVICES.length)]);
    b[p++] = 45;
    b[p++] = 48 + rng.int(8);
    p = putStr(b, p, '] req=');
    const id = rng.next32();
    for (let i = 28; i >= 0; i -= 4) b[p++] = HEX[(id >>> i) & 15];
    b[p++] = 32;
    p = put(b, p, METHODS[rng.int(METHODS.length)]);
    b[p++] = 32;
    p = put(b, p, PATHS[rng.int(PATHS.length)]);
    p = putInt(b, p, rng.int(100_000));
    p = putStr(b, p, ' status=');
    p = put(b, p, STATUS[rng.int(STATUS.length)]);
    p = putStr(b, p, ' bytes=');
    p = putInt(b, p, rng.int(65_536));
    p = putStr(b, p, ' dur=');
    p = putInt(b, p, rng.int(rng.int(8) === 0 ? 5000 : 120));
    p = putStr(b, p, 'ms ');
    p = put(b, p, MSGS[rng.int(MSGS.length)]);
    b[p++] = 10;
  }
  b.copy(buf, 0, 0, buf.length);
  return buf;
}

/**
 * Writes a regular (fully allocated) image of `size` bytes made of 1 MiB regions: exactly 30%
 * zeros, 30% random, 40% log text (rounded), in a seeded shuffled order. Returns the mix.
 */
export function writeImage(path, size, seed) {
  const n = Math.ceil(size / MiB);
  const zeros = Math.round(n * 0.3);
  const random = Math.round(n * 0.3);
  const kinds = [...Array(zeros).fill('z'), ...Array(random).fill('r'), ...Array(n - zeros - random).fill('t')];
  const order = new Rng(mix(seed, 1));
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = order.int(i + 1);
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  const buf = alignedBuffer(MiB);
  const zero = alignedBuffer(MiB);
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < n; i++) {
      const len = Math.min(MiB, size - i * MiB);
      const rng = new Rng(mix(seed, 2, i));
      const data = kinds[i] === 'z' ? zero : kinds[i] === 'r' ? rng.fill(buf) : fillText(buf, rng);
      writeSync(fd, data, 0, len, i * MiB);
    }
  } finally {
    closeSync(fd);
  }
  return { regions: n, zeros, random, text: n - zeros - random };
}

/** Picks `count` distinct 4 KiB blocks of a `size`-byte image, sorted by offset. */
export function pickBlocks(size, count, rng) {
  const blocks = Math.floor(size / BLOCK);
  if (count > blocks) throw new Error(`cannot pick ${count} blocks out of ${blocks}`);
  const set = new Set();
  while (set.size < count) set.add(rng.int(blocks));
  return [...set].sort((a, b) => a - b).map((b) => b * BLOCK);
}

/** Writes the given writes ({offset, data}) into an existing file in place. */
export function applyWrites(path, writes) {
  const fd = openSync(path, 'r+');
  try {
    for (const w of writes) writeSync(fd, w.data, 0, w.data.length, w.offset);
  } finally {
    closeSync(fd);
  }
}

/** Random 4 KiB writes at `count` distinct seeded blocks. */
export function scatteredWrites(size, count, rng) {
  return pickBlocks(size, count, rng).map((offset) => ({ offset, data: rng.fill(alignedBuffer(BLOCK)) }));
}

/** Copies `from` to `to` and rewrites 1% of the 4 KiB blocks of the copy (distinct, random). */
export function scatteredChange(from, to, size, seed, fraction = 0.01) {
  copyFileSync(from, to);
  const count = Math.round((size / BLOCK) * fraction);
  const writes = scatteredWrites(size, count, new Rng(mix(seed, 3)));
  applyWrites(to, writes);
  return { blocks: count, bytes: count * BLOCK, extents: writes.map((w) => ({ offset: w.offset, length: BLOCK })) };
}

/** Copies `from` to `to` and rewrites `length` bytes at a seeded 4 KiB-aligned offset of the copy. */
export function contiguousChange(from, to, size, seed, length) {
  copyFileSync(from, to);
  const rng = new Rng(mix(seed, 4));
  const offset = rng.int(Math.floor((size - length) / BLOCK) + 1) * BLOCK;
  applyWrites(to, [{ offset, data: rng.fill(alignedBuffer(length)) }]);
  return { bytes: length, extents: [{ offset, length }] };
}

/**
 * A sparse volume: `size` bytes of holes with `pieces` runs of `pieceSize` random bytes at
 * distinct seeded `pieceSize`-aligned places. Returns the pieces' extents.
 */
export function writeSparse(path, size, seed, pieces, pieceSize) {
  const rng = new Rng(mix(seed, 5));
  const slots = Math.floor(size / pieceSize);
  const set = new Set();
  while (set.size < pieces) set.add(rng.int(slots));
  const offsets = [...set].sort((a, b) => a - b).map((s) => s * pieceSize);
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    const buf = alignedBuffer(pieceSize);
    for (const off of offsets) writeSync(fd, rng.fill(buf), 0, pieceSize, off);
  } finally {
    closeSync(fd);
  }
  return offsets.map((offset) => ({ offset, length: pieceSize }));
}
