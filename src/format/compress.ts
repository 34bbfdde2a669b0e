// Per-chunk compression: zstd or lz4, kept only when it pays; the algorithm is recorded in the
// first byte of every sealed plaintext so a repository may mix them.
import { createRequire } from 'node:module';
import { LIMITS, MIN_COMPRESSION_SAVING, ZSTD_LEVEL } from '../defaults.js';

// The native codecs are loaded on first use, not at import: every command imports this module,
// and loading both addons (dlopen, their CommonJS wrappers) is start-up time that `snapshots`,
// `--help` or an lz4-free repository never needs. Resolved from node_modules like any package
// (the bundle keeps them external).
const load = createRequire(import.meta.url);
// The binding itself, not the package's wrappers: its one-shot ZSTD_decompress writes into a
// buffer we size (the package's decompress() allocates whatever size a frame header claims, up
// to 2^64, before checking anything), and ZSTD_compress2 into a buffer we reuse.
type ZstdBinding = typeof import('zstd-napi/binding.js');
let zstdBinding: ZstdBinding | undefined;
let lz4: typeof import('lz4-napi') | undefined;
const zstd = (): ZstdBinding => (zstdBinding ??= load('zstd-napi/binding.js') as ZstdBinding);
const lz4Lib = () => (lz4 ??= load('lz4-napi') as typeof import('lz4-napi'));

// One compression and one decompression context per thread, reused: no setup per chunk.
let cctx: InstanceType<ZstdBinding['CCtx']> | undefined;
let dctx: InstanceType<ZstdBinding['DCtx']> | undefined;
/**
 * Where zstd writes (compressBound of the largest input so far, kept while <= SCRATCH_KEEP): a
 * fresh output buffer per chunk, and the copy that trimmed it, cost a backup a page fault per
 * 4 KiB written and a memcpy of everything it stores.
 */
let scratch: Buffer | null = null;
const SCRATCH_KEEP = 4 << 20;

/** Largest plaintext of any blob: the pack trailer limit (chunks are at most a segment). */
const MAX_RAW_LENGTH = LIMITS.trailerBytes;

export enum Codec {
  None = 0,
  Zstd = 1,
  Lz4 = 2,
}

/**
 * Compresses `raw`, or returns it as it is (codec None) when that does not pay. The zstd output
 * lies in this thread's scratch buffer: it is valid until the next call of compress() on this
 * thread, so a caller that keeps it copies it (sealing encrypts it at once into a new buffer).
 */
export function compress(codec: Codec, raw: Uint8Array): { codec: Codec; data: Uint8Array } {
  if (codec === Codec.None || raw.length < 64) return { codec: Codec.None, data: raw };
  const data = codec === Codec.Zstd ? zstdCompress(raw) : lz4Lib().compressSync(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  if (data.length > raw.length * (1 - MIN_COMPRESSION_SAVING)) return { codec: Codec.None, data: raw };
  return { codec, data };
}

function zstdCompress(raw: Uint8Array): Buffer {
  const z = zstd();
  if (!cctx) {
    cctx = new z.CCtx();
    cctx.setParameter(z.CParameter.compressionLevel, ZSTD_LEVEL);
  }
  const bound = z.compressBound(raw.length);
  let out = scratch;
  if (!out || out.length < bound) {
    out = Buffer.allocUnsafeSlow(bound);
    if (bound <= SCRATCH_KEEP) scratch = out;
  }
  return out.subarray(0, cctx.compress2(out, raw));
}

/**
 * Throws on damaged input or when the output would not be exactly `rawLength` bytes. Callers
 * decompress only bytes whose tag or hash has been verified, so sizes come from our own writes.
 * A zstd payload goes into `into` when it is given and large enough (the result is then a view
 * of it): memory a caller reuses is already faulted in, where fresh memory costs a page fault
 * per 4 KiB (~0.9 ms per MiB measured here, three times the decompression itself).
 */
export function decompress(codec: number, data: Uint8Array, rawLength: number, into?: Buffer): Buffer {
  // Sizes are bounded before anything is allocated for them (every decoder's limit is below this).
  if (!Number.isSafeInteger(rawLength) || rawLength < 0 || rawLength > MAX_RAW_LENGTH) {
    throw new Error(`raw length ${rawLength} is out of range`);
  }
  let out: Buffer;
  switch (codec) {
    case Codec.None:
      out = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      break;
    case Codec.Zstd: {
      // Owned memory unless the caller lends some: it may be transferred between threads.
      out = into && into.length >= rawLength ? into.subarray(0, rawLength) : Buffer.allocUnsafeSlow(rawLength);
      dctx ??= new (zstd().DCtx)();
      const n = dctx.decompress(out, data); // fails when the content does not fit
      if (n !== rawLength) throw new Error(`decompressed to ${n} bytes, expected ${rawLength}`);
      break;
    }
    case Codec.Lz4: {
      // lz4-napi's frames start with the content size (u32le), which it allocates as it reads.
      const claimed = data.byteLength >= 4 ? Buffer.from(data.buffer, data.byteOffset, 4).readUInt32LE(0) : -1;
      if (claimed !== rawLength) throw new Error(`lz4 block claims ${claimed} bytes, expected ${rawLength}`);
      out = lz4Lib().uncompressSync(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      break;
    }
    default:
      throw new Error(`unknown compression ${codec}`);
  }
  if (out.length !== rawLength) throw new Error(`decompressed to ${out.length} bytes, expected ${rawLength}`);
  return out;
}
