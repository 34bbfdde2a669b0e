// Per-chunk compression: zstd or lz4, kept only when it pays; the algorithm is recorded in the
// first byte of every sealed plaintext so a repository may mix them.
import { compressSync as lz4Compress, uncompressSync as lz4Uncompress } from 'lz4-napi';
import * as zstd from 'zstd-napi';
import { MIN_COMPRESSION_SAVING, ZSTD_LEVEL } from '../defaults.js';

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
  let out: Buffer;
  switch (codec) {
    case Codec.None:
      out = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      break;
    case Codec.Zstd:
      out = zstd.decompress(data);
      break;
    case Codec.Lz4:
      out = lz4Uncompress(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      break;
    default:
      throw new Error(`unknown compression ${codec}`);
  }
  if (out.length !== rawLength) throw new Error(`decompressed to ${out.length} bytes, expected ${rawLength}`);
  return out;
}
