// Small sealed objects beside the manifests (holds, prune records, ...): stored create-once in
// the framing of format/sealed-object.ts, so an object moved, swapped or damaged fails to open,
// as a manifest would.
import type { RepoContext } from '../engine/index.js';
import { asIntegrity } from '../format/integrity.js';
import { frameSealed, openFramed } from '../format/sealed-object.js';
import type { BlobKind } from '../format/seal.js';

/** What a sealed object needs of a repository: its store and its sealer. */
type Sealing = Pick<RepoContext, 'store' | 'sealer'>;

/** Stores `plain` sealed under `key`, create-once; returns the bytes written. */
export async function putSealed(repo: Sealing, key: string, magic: Buffer, kind: BlobKind, id: Buffer, plain: Uint8Array): Promise<number> {
  const parts = frameSealed(repo.sealer, magic, kind, id, plain);
  await repo.store.put(key, parts, { ifNotExists: true });
  return parts.reduce((n, p) => n + p.length, 0);
}

/** Reads and opens a sealed object; damage or absence becomes an IntegrityError naming `what`. */
export async function getSealed(repo: Sealing, key: string, magic: Buffer, kind: BlobKind, id: Buffer, limit: number, what: string): Promise<Buffer> {
  try {
    return openFramed(repo.sealer, magic, kind, id, await repo.store.get(key), limit);
  } catch (err) {
    throw asIntegrity(err, what);
  }
}
