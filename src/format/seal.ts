// Sealing turns a plaintext blob into the bytes that are stored, and back. Every blob is bound
// to its kind and its 16-byte id, so a blob moved, swapped or damaged is detected:
//   encrypted:  nonce(12) | AES-256-GCM(codec(1) | payload) | tag(16),  AAD = kind(1) | id(16)
//   plain:      codec(1) | payload | SHA-256(kind | id | codec | payload)[0..16)
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Codec, compress, decompress } from './compress.js';

export enum BlobKind {
  Data = 1,
  Node = 2,
  Trailer = 3,
  Manifest = 4,
  Hold = 5,
  PruneRecord = 6,
  Lease = 7, // was Lock; only the number is bound into sealed objects
  ForwardRecord = 9,
  Checkpoint = 10,
}

export const SEAL_OVERHEAD_ENCRYPTED = 12 + 1 + 16;
export const SEAL_OVERHEAD_PLAIN = 1 + 16;

export class SealError extends Error {}

export interface Sealer {
  readonly encrypted: boolean;
  readonly codec: Codec;
  /** Returns the stored bytes as parts, to avoid a copy when the payload is not compressed. */
  seal(kind: BlobKind, id: Uint8Array, plain: Uint8Array, codec?: Codec): Buffer[];
  /**
   * Verifies and opens a sealed blob; throws SealError when it cannot be proven intact. With
   * `into` (at least rawLength bytes), a compressed payload is decompressed into it rather than
   * into new memory, and the result may be a view of it.
   */
  open(kind: BlobKind, id: Uint8Array, sealed: Uint8Array, rawLength: number, into?: Buffer): Buffer;
}

export function makeSealer(aeadKey: Buffer | null, codec: Codec): Sealer {
  return aeadKey ? new AeadSealer(aeadKey, codec) : new PlainSealer(codec);
}

function aad(kind: BlobKind, id: Uint8Array): Buffer {
  const a = Buffer.allocUnsafe(17);
  a[0] = kind;
  a.set(id.subarray(0, 16), 1);
  return a;
}

class AeadSealer implements Sealer {
  readonly encrypted = true;
  constructor(private readonly key: Buffer, readonly codec: Codec) {}

  seal(kind: BlobKind, id: Uint8Array, plain: Uint8Array, codec = this.codec): Buffer[] {
    const packed = compress(codec, plain);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(aad(kind, id));
    const head = cipher.update(Buffer.of(packed.codec));
    const body = cipher.update(packed.data);
    cipher.final();
    return [nonce, head, body, cipher.getAuthTag()];
  }

  open(kind: BlobKind, id: Uint8Array, sealed: Uint8Array, rawLength: number, into?: Buffer): Buffer {
    if (sealed.length < SEAL_OVERHEAD_ENCRYPTED) throw new SealError('sealed blob is too short');
    const s = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const decipher = createDecipheriv('aes-256-gcm', this.key, s.subarray(0, 12));
    decipher.setAAD(aad(kind, id));
    decipher.setAuthTag(s.subarray(s.length - 16));
    let plain: Buffer;
    try {
      const body = decipher.update(s.subarray(12, s.length - 16));
      const tail = decipher.final(); // empty for GCM; concatenating would copy the whole body
      plain = tail.length ? Buffer.concat([body, tail]) : body;
    } catch {
      throw new SealError('authentication failed');
    }
    return unpack(plain, rawLength, into);
  }
}

class PlainSealer implements Sealer {
  readonly encrypted = false;
  constructor(readonly codec: Codec) {}

  seal(kind: BlobKind, id: Uint8Array, plain: Uint8Array, codec = this.codec): Buffer[] {
    const packed = compress(codec, plain);
    const head = Buffer.of(packed.codec);
    // zstd's output lives in compress()'s scratch buffer, reused by the next call: keep a copy.
    const d = packed.data;
    const body = packed.codec === Codec.Zstd ? Buffer.from(d) : Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    const sum = createHash('sha256').update(aad(kind, id)).update(head).update(body).digest().subarray(0, 16);
    return [head, body, sum];
  }

  open(kind: BlobKind, id: Uint8Array, sealed: Uint8Array, rawLength: number, into?: Buffer): Buffer {
    if (sealed.length < SEAL_OVERHEAD_PLAIN) throw new SealError('sealed blob is too short');
    const s = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const body = s.subarray(0, s.length - 16);
    const sum = createHash('sha256').update(aad(kind, id)).update(body).digest().subarray(0, 16);
    if (!sum.equals(s.subarray(s.length - 16))) throw new SealError('checksum mismatch');
    return unpack(body, rawLength, into);
  }
}

function unpack(plain: Buffer, rawLength: number, into?: Buffer): Buffer {
  try {
    return decompress(plain[0] ?? -1, plain.subarray(1), rawLength, into);
  } catch (err) {
    throw new SealError(`cannot decompress: ${(err as Error).message}`);
  }
}
