// What prune remembers between runs (prune/<id> objects, sealed): unreferenced packs with the
// time they were first seen so, and packs `forget` released. The grace period of prune runs
// from first sight: the store interface gives no object times, and first sight is never
// earlier than the upload, so "seen unreferenced for longer than the grace" implies "older".
import { randomBytes } from 'node:crypto';
import { PRUNE_PREFIX, parsePruneRecordKey, pruneRecordKey } from '../format/layout.js';
import { type PrunePack, type PruneRecord, decodePruneRecord, encodePruneRecord } from '../format/prune-record-codec.js';
import { BlobKind } from '../format/seal.js';
import { asIntegrity } from '../format/integrity.js';
import type { Repository } from './repository.js';
import { getSealed, putSealed } from './sealed-object.js';
import { MAGICS } from '../format/sealed-object.js';

const MAGIC = MAGICS.prune;
/** 16-byte ids and a time: ~30 bytes a pack, so a million remembered packs stay far below. */
const RECORD_BYTES = 256 << 20;

export interface PackMemory {
  sinceMs: number;
  released: boolean;
}

export interface Records {
  keys: string[];
  /** Pack id (hex) to what earlier runs knew of it; entries of several records merged. */
  packs: Map<string, PackMemory>;
}

export async function readRecords(repo: Repository): Promise<Records> {
  const keys: string[] = [];
  const packs = new Map<string, PackMemory>();
  for await (const o of repo.store.list(PRUNE_PREFIX)) {
    const parsed = parsePruneRecordKey(o.key);
    if (!parsed) continue;
    const id = Buffer.from(parsed.id, 'hex');
    const plain = await getSealed(repo, o.key, MAGIC, BlobKind.PruneRecord, id, RECORD_BYTES, `prune record ${o.key}`);
    let r: PruneRecord;
    try {
      r = decodePruneRecord(plain, RECORD_BYTES);
    } catch (err) {
      throw asIntegrity(err, `prune record ${o.key}`);
    }
    keys.push(o.key);
    for (const p of r.packs) {
      const hex = p.pack.toString('hex');
      const had = packs.get(hex);
      packs.set(hex, had ? merge(had, p) : { sinceMs: p.sinceMs, released: p.released });
    }
  }
  return { keys, packs };
}

/**
 * Unreferenced since the first sighting, but released as of the latest release: prune takes a
 * release's time for when the last manifest naming the pack went, and a backup started after it
 * for one that cannot name the pack. A forget killed before it deleted its manifests leaves an
 * earlier release behind; taken instead of the later one, a backup building on those snapshots
 * (started between the two) would lose the packs it names.
 */
function merge(a: PackMemory, b: PackMemory): PackMemory {
  if (a.released !== b.released) return a.released ? a : b;
  return { sinceMs: a.released ? Math.max(a.sinceMs, b.sinceMs) : Math.min(a.sinceMs, b.sinceMs), released: a.released };
}

/** Writes one new record (nothing when `packs` is empty); returns its key and size. */
export async function writeRecord(repo: Repository, packs: PrunePack[], nowMs: number): Promise<{ key: string; bytes: number } | null> {
  if (packs.length === 0) return null;
  const id = randomBytes(16);
  const key = pruneRecordKey(id);
  const bytes = await putSealed(repo, key, MAGIC, BlobKind.PruneRecord, id, encodePruneRecord({ id, createdMs: nowMs, packs }));
  return { key, bytes };
}
