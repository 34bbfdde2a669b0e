// Packs: immutable objects of many sealed blobs followed by a self-describing trailer,
//   blob* | sealed(PackTrailer) | u32le sealed length | u32le raw length | "SNTPACK1"
// so a pack can be checked, or an index rebuilt, from the pack alone.
import { randomBytes } from 'node:crypto';
import { LIMITS } from '../defaults.js';
import { FormatError, decodeTrailer, encodeTrailer } from './codec.js';
import { Codec } from './compress.js';
import { BlobKind, type Sealer } from './seal.js';
import type { BlobRef, PackEntry, PackKind, PackTrailer } from './types.js';
import { MAGICS } from './sealed-object.js';

const MAGIC = MAGICS.pack;
export const PACK_TAIL = 8 + MAGIC.length;

export class PackBuilder {
  readonly id = randomBytes(16);
  private readonly parts: Buffer[] = [];
  private readonly entries: PackEntry[] = [];
  private size = 0;

  constructor(readonly kind: PackKind, private readonly sealer: Sealer) {}

  get bytes(): number {
    return this.size;
  }

  get count(): number {
    return this.entries.length;
  }

  /** Appends an already-sealed blob (see Sealer.seal) and returns where it will be. */
  addSealed(id: Buffer, sealed: readonly Buffer[], rawLength: number): BlobRef {
    let length = 0;
    for (const p of sealed) {
      this.parts.push(p);
      length += p.length;
    }
    const ref = { pack: this.id, offset: this.size, length, id, rawLength };
    this.entries.push({ id, offset: this.size, length, rawLength });
    this.size += length;
    return ref;
  }

  add(kind: BlobKind, plain: Uint8Array): BlobRef {
    const id = randomBytes(16);
    return this.addSealed(id, this.sealer.seal(kind, id, plain), plain.length);
  }

  /** The whole pack as parts, trailer included. The builder must not be used afterwards. */
  finish(): Buffer[] {
    const trailer = encodeTrailer({ pack: this.id, kind: this.kind, entries: this.entries });
    const sealed = this.sealer.seal(BlobKind.Trailer, this.id, trailer, Codec.Zstd);
    const tail = Buffer.allocUnsafe(PACK_TAIL);
    tail.writeUInt32LE(sealed.reduce((n, p) => n + p.length, 0), 0);
    tail.writeUInt32LE(trailer.length, 4);
    MAGIC.copy(tail, 8);
    return [...this.parts, ...sealed, tail];
  }
}

/** Reads the trailer of a whole pack held in memory, checking magic, sizes and the seal. */
export function readTrailer(pack: Buffer, expectId: Buffer, sealer: Sealer): PackTrailer {
  if (pack.length < PACK_TAIL || !pack.subarray(pack.length - MAGIC.length).equals(MAGIC)) {
    throw new FormatError('pack has no trailer (torn or truncated)');
  }
  const tlen = pack.readUInt32LE(pack.length - PACK_TAIL);
  const rawLen = pack.readUInt32LE(pack.length - PACK_TAIL + 4);
  if (tlen > pack.length - PACK_TAIL || rawLen > LIMITS.trailerBytes) throw new FormatError('pack trailer length is out of range');
  const start = pack.length - PACK_TAIL - tlen;
  const plain = sealer.open(BlobKind.Trailer, expectId, pack.subarray(start, start + tlen), rawLen);
  const t = decodeTrailer(plain, LIMITS.trailerBytes);
  if (!t.pack.equals(expectId)) throw new FormatError('pack trailer names another pack');
  for (const e of t.entries) {
    if (e.offset + e.length > start) throw new FormatError('pack trailer entry points past the data');
  }
  return t;
}
