// Small sealed objects beside the manifests (holds, prune records): an 8-byte magic, the
// plaintext length, then the blob sealed with its kind and bound to its 16-byte id, so an
// object moved, swapped or damaged fails to open, as a manifest would.
import { asIntegrity } from '../engine/integrity.js';
import { IntegrityError } from '../errors.js';
import { Codec } from '../format/compress.js';
import type { BlobKind } from '../format/seal.js';
import type { RepoContext } from '../engine/context.js';

/** What a sealed object needs of a repository: its store and its sealer. */
type Sealing = Pick<RepoContext, 'store' | 'sealer'>;

/** Stores `plain` sealed under `key`, create-once; returns the bytes written. */
export async function putSealed(repo: Sealing, key: string, magic: Buffer, kind: BlobKind, id: Buffer, plain: Uint8Array): Promise<number> {
  const sealed = repo.sealer.seal(kind, id, plain, Codec.Zstd);
  const head = Buffer.allocUnsafe(magic.length + 4);
  magic.copy(head);
  head.writeUInt32LE(plain.length, magic.length);
  const parts = [head, ...sealed];
  await repo.store.put(key, parts, { ifNotExists: true });
  return parts.reduce((n, p) => n + p.length, 0);
}

/** Reads and opens a sealed object; damage or absence becomes an IntegrityError naming `what`. */
export async function getSealed(repo: Sealing, key: string, magic: Buffer, kind: BlobKind, id: Buffer, limit: number, what: string): Promise<Buffer> {
  try {
    const raw = await repo.store.get(key);
    if (raw.length < magic.length + 4 || !raw.subarray(0, magic.length).equals(magic)) throw new IntegrityError(`${what} is damaged: bad header`);
    const rawLen = raw.readUInt32LE(magic.length);
    if (rawLen > limit) throw new IntegrityError(`${what} is damaged: length out of range`);
    return repo.sealer.open(kind, id, raw.subarray(magic.length + 4), rawLen);
  } catch (err) {
    throw asIntegrity(err, what);
  }
}
