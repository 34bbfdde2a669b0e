// Reading many manifests: from the local cache when it holds them, else from the store, a
// bounded number at once (MANIFEST_READS workers pulling one shared index), each kept in the
// cache for next time. A manifest that cannot be read is reported, not fatal, when the caller
// says what to do with it: one damaged old snapshot must not stop new backups of its volume.
import { MANIFEST_READS } from '../defaults.js';
import { asIntegrity } from '../format/integrity.js';
import { IntegrityError } from '../errors.js';
import { decodeManifest } from '../format/codec.js';
import { parseSnapshotKey } from '../format/layout.js';
import { BlobKind } from '../format/seal.js';
import { MAGICS, openFramed } from '../format/sealed-object.js';
import type { Manifest } from '../format/types.js';
import { LIMITS } from '../defaults.js';
import { manifestCacheOf } from './manifest-cache.js';
import type { Repository } from './repository.js';

/** Opens the stored bytes of manifest `key`: sealed, bound to its id and its volume. */
export function openManifest(repo: Repository, key: string, raw: Buffer): Manifest {
  const parsed = parseSnapshotKey(key);
  if (!parsed) throw new IntegrityError(`object ${key} is not a snapshot manifest`);
  try {
    const id = Buffer.from(parsed.id, 'hex');
    const m = decodeManifest(openFramed(repo.sealer, MAGICS.snapshot, BlobKind.Manifest, id, raw, LIMITS.manifestBytes), LIMITS.manifestBytes);
    if (!m.id.equals(id) || repo.volumeKey(m.volume) !== parsed.volumeKey) {
      throw new IntegrityError(`snapshot manifest ${key} is damaged: it names another snapshot`);
    }
    return m;
  } catch (err) {
    throw asIntegrity(err, `snapshot manifest ${key}`);
  }
}

/** One manifest, through the cache. */
export async function readManifestCached(repo: Repository, key: string): Promise<Manifest> {
  const cache = manifestCacheOf(repo);
  const cached = cache ? await cache.get(repo, key) : null;
  if (cached) {
    try {
      return openManifest(repo, key, cached);
    } catch {
      await cache!.drop(repo, key); // a damaged entry: read the store instead
    }
  }
  let raw: Buffer;
  try {
    raw = await repo.store.get(key);
  } catch (err) {
    throw asIntegrity(err, `snapshot manifest ${key}`);
  }
  const m = openManifest(repo, key, raw);
  await cache?.put(repo, key, raw);
  return m;
}

export interface ReadManifestsOptions {
  /** Called for each manifest that cannot be read; without it, the first such error is thrown. */
  onDamaged?: (key: string, err: unknown) => void;
}

/** The manifests of `keys`, in the order of `keys` (unreadable ones left out when `onDamaged`). */
export async function readManifests(repo: Repository, keys: readonly string[], opts: ReadManifestsOptions = {}): Promise<Array<{ key: string; manifest: Manifest }>> {
  const got: Array<Manifest | undefined> = new Array(keys.length);
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (next < keys.length && failure === undefined) {
      const i = next++;
      try {
        got[i] = await readManifestCached(repo, keys[i]!);
      } catch (err) {
        if (!opts.onDamaged || !(err instanceof IntegrityError)) failure ??= err;
        else opts.onDamaged(keys[i]!, err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MANIFEST_READS, keys.length) }, worker));
  if (failure !== undefined) throw failure;
  const out: Array<{ key: string; manifest: Manifest }> = [];
  for (let i = 0; i < keys.length; i++) if (got[i]) out.push({ key: keys[i]!, manifest: got[i]! });
  return out;
}
