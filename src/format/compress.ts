// Per-chunk compression: zstd or lz4, kept only when it pays; the algorithm is recorded in the
// first byte of every sealed plaintext so a repository may mix them.
import { compressSync as lz4Compress, uncompressSync as lz4Uncompress } from 'lz4-napi';
import * as zstd from 'zstd-napi';
// The one-shot ZSTD_decompress into a buffer we size: the package's own decompress() allocates
// whatever size a frame header claims, up to 2^64, before checking anything.
import zstdBinding from 'zstd-napi/binding.js';
import { LIMITS, MIN_COMPRESSION_SAVING, ZSTD_LEVEL } from '../defaults.js';

let dctx: InstanceType<typeof zstdBinding.DCtx> | undefined;

/** Largest plaintext of any blob: the pack trailer limit (chunks are at most a segment). */
const MAX_RAW_LENGTH = LIMITS.trailerBytes;

export enum Codec {
  None = 0,
  Zstd = 1,
  Lz4 = 2,
}

export function compress(codec: Codec, raw: Uint8Array): { codec: Codec; data: Uint8Array } {
  if (codec === Codec.None || raw.length < 64) return { codec: Codec.None, data: raw };
  const data =
    codec === Codec.Zstd ? zstd.compress(raw, { compressionLevel: ZSTD_LEVEL }) : lz4Compress(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  if (data.length > raw.length * (1 - MIN_COMPRESSION_SAVING)) return { codec: Codec.None, data: raw };
  return { codec, data };
}

/**
 * Throws on damaged input or when the output would not be exactly `rawLength` bytes. Callers
 * decompress only bytes whose tag or hash has been verified, so sizes come from our own writes.
 */
export function decompress(codec: number, data: Uint8Array, rawLength: number): Buffer {
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
      out = Buffer.allocUnsafeSlow(rawLength); // owned memory: it may be transferred between threads
      dctx ??= new zstdBinding.DCtx(); // one context per thread, reused: no setup per chunk
      const n = dctx.decompress(out, data); // fails when the content does not fit
      if (n !== rawLength) throw new Error(`decompressed to ${n} bytes, expected ${rawLength}`);
      break;
    }
    case Codec.Lz4: {
      // lz4-napi's frames start with the content size (u32le), which it allocates as it reads.
      const claimed = data.byteLength >= 4 ? Buffer.from(data.buffer, data.byteOffset, 4).readUInt32LE(0) : -1;
      if (claimed !== rawLength) throw new Error(`lz4 block claims ${claimed} bytes, expected ${rawLength}`);
      out = lz4Uncompress(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      break;
    }
    default:
      throw new Error(`unknown compression ${codec}`);
  }
  if (out.length !== rawLength) throw new Error(`decompressed to ${out.length} bytes, expected ${rawLength}`);
  return out;
}
