// The snapshot maps of one repository as the layers above the engine read them (check, prune's
// mark, restore planning of cold packs): leaves by segment, or every node once across many
// snapshots. One node cache for all the walks of a walker; references come back resolved
// through the forwarding records.
import type { BlobRef, Manifest, NodeRef } from '../format/types.js';
import { type RepoContext, segmentCount } from './context.js';
import type { ForwardTable } from './forward-table.js';
import { NodeReader } from './node-store.js';
import { type LeafVisit, visitTree, walkLeaves } from './tree-walk.js';

export class MapWalker {
  private readonly reader: NodeReader;

  constructor(private readonly ctx: RepoContext) {
    this.reader = new NodeReader(ctx);
  }

  /** The leaves of a snapshot's map for segments [fromSeg, toSeg), in order; holes are absent. */
  leaves(m: Pick<Manifest, 'root' | 'rootLevel' | 'size'>, fromSeg = 0, toSeg = segmentCount(m.size, this.ctx.geometry)): AsyncIterable<LeafVisit> {
    return walkLeaves(this.reader, this.ctx.geometry, m.root, m.rootLevel, fromSeg, toSeg);
  }

  /**
   * Every node under `root` once: nodes already in `seen` (shared with a map visited before)
   * are skipped with everything below them. `onNode` gets each node, `onChunk` each chunk.
   */
  visit(root: NodeRef, rootLevel: number, seen: Set<string>, onNode: (ref: NodeRef) => void, onChunk: (chunk: BlobRef) => void): Promise<void> {
    return visitTree(this.reader, root, rootLevel, seen, onNode, onChunk);
  }

  /** Where repacking moved blobs, as the walks resolve them. */
  forwarding(): Promise<ForwardTable> {
    return this.reader.forwarding();
  }
}
