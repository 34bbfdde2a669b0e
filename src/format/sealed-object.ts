// The framing of the small sealed objects beside the packs (manifests, holds, leases, prune and
// forwarding records, checkpoints), and the magic that starts each kind: one place for every
// layout, so that docs/format.md and the compatibility fixtures have one thing to point at.
//   magic(8) | plaintext length(u32le) | sealed blob (seal.ts), bound to the object's kind and id
import { FormatError } from './codec.js';
import { Codec } from './compress.js';
import type { BlobKind, Sealer } from './seal.js';

const magic = (s: string): Buffer => Buffer.from(s, 'ascii');

/** The first 8 bytes of each kind of object. Changing one is a format change (docs/format.md). */
export const MAGICS = {
  pack: magic('SNTPACK1'), // at the end of a pack, after its trailer (pack.ts)
  snapshot: magic('SNTSNAP1'),
  hold: magic('SNTHOLD1'),
  lease: magic('SNTLOCK1'), // leases (the magic keeps the old word: it is on the store)
  forward: magic('SNTFWD01'),
  prune: magic('SNTPRUN1'),
  checkpoint: magic('SNTCKPT1'),
} as const;

const HEAD = 8 + 4;

/** The parts of a framed object: its head, then the sealed blob (zstd when it pays). */
export function frameSealed(sealer: Sealer, magicBytes: Buffer, kind: BlobKind, id: Uint8Array, plain: Uint8Array): Buffer[] {
  const head = Buffer.allocUnsafe(HEAD);
  magicBytes.copy(head);
  head.writeUInt32LE(plain.length, magicBytes.length);
  return [head, ...sealer.seal(kind, id, plain, Codec.Zstd)];
}

/**
 * Checks the head and opens the blob: FormatError for a bad head or a length above `limit`,
 * SealError when the blob cannot be proven intact (callers name the object: asIntegrity).
 */
export function openFramed(sealer: Sealer, magicBytes: Buffer, kind: BlobKind, id: Uint8Array, raw: Buffer, limit: number): Buffer {
  if (raw.length < HEAD || !raw.subarray(0, magicBytes.length).equals(magicBytes)) throw new FormatError('bad header');
  const rawLen = raw.readUInt32LE(magicBytes.length);
  if (rawLen > limit) throw new FormatError('length out of range');
  return sealer.open(kind, id, raw.subarray(HEAD), rawLen);
}
