// prune's mark: every pack reachable from every snapshot's map, and from the checkpoints of
// killed backups (a resume will name what they reach). Shared subtrees are walked once; with
// `live`, the live byte ranges of each pack are counted too, for repacking.
import { MapWalker } from '../engine/map-walker.js'; // not the index: see ENGINE_INNER_EXCEPTIONS in test/arch
import { IntegrityError, errorMessage } from '../errors.js';
import { SNAPSHOT_PREFIX, parseSnapshotKey } from '../format/layout.js';
import type { BlobRef, Manifest } from '../format/types.js';
import { describe, readManifest } from './catalog.js';
import type { CheckpointRoots } from './leftovers.js';
import type { LiveBlobs } from './live-blobs.js';
import type { Repository } from './repository.js';

/**
 * Every pack (id hex) reachable from every snapshot, and every snapshot (volume key/id). Any
 * manifest or node that cannot be read stops prune: an incomplete mark would delete live data.
 */
export async function mark(
  repo: Repository,
  skip: ReadonlySet<string>,
  live?: LiveBlobs,
  checkpoints: readonly CheckpointRoots[] = [],
): Promise<{ packs: Set<string>; snapshots: Set<string> }> {
  const packs = new Set<string>();
  const snapshots = new Set<string>();
  const visited = new Set<string>();
  const walker = new MapWalker(repo);
  const fwd = await walker.forwarding();
  const addPack = (b: BlobRef) => {
    const hex = b.pack.toString('hex');
    packs.add(hex);
    live?.add(hex, b.offset, b.length);
  };
  for await (const o of repo.store.list(SNAPSHOT_PREFIX)) {
    const parsed = parseSnapshotKey(o.key);
    if (!parsed || skip.has(o.key)) continue;
    snapshots.add(`${parsed.volumeKey}/${parsed.id}`);
    let m: Manifest;
    try {
      m = await readManifest(repo, o.key);
    } catch (err) {
      throw new IntegrityError(`prune stopped, nothing deleted: ${errorMessage(err)} (run check)`);
    }
    try {
      // A pack repacking emptied is named here still, but every reference resolves elsewhere.
      for (const p of m.packs) if (!fwd.forwarded(p.toString('hex'))) packs.add(p.toString('hex'));
      if (m.root) await walker.visit(m.root, m.rootLevel, visited, (r) => addPack(r.blob), addPack);
    } catch (err) {
      throw new IntegrityError(`prune stopped, nothing deleted: ${describe(m)}: ${errorMessage(err)} (run check)`);
    }
  }
  for (const c of checkpoints) {
    try {
      for (const r of c.roots) await walker.visit(r.ref, r.level, visited, (n) => addPack(n.blob), addPack);
    } catch (err) {
      throw new IntegrityError(`prune stopped, nothing deleted: checkpoint ${c.key}: ${errorMessage(err)} (run check)`);
    }
  }
  return { packs, snapshots };
}
