// Builds the map of a new snapshot copy-on-write: subtrees with no change are the parent's
// nodes, reused by reference; new nodes are written only along changed paths, so metadata
// written per snapshot grows with the change, not with the volume.
import type { MapChild, MapLeaf, NodeRef } from '../format/types.js';
import { type Geometry, nodeSpan, rootLevel, segmentCount } from './context.js';
import { EMPTY_DIGEST, interiorDigest, leafDigest, zeroDigest, zeroLeafFingerprints } from './fingerprint.js';
import { type LeafChange, applyChange } from './leaf-edit.js';
import type { NodeReader, NodeWriter } from './node-store.js';

export interface PlacedChange extends LeafChange {
  index: number;
}

export interface TreeInput {
  g: Geometry;
  reader: NodeReader;
  writer: NodeWriter;
  parent: { root: NodeRef | null; rootLevel: number; size: number } | null;
  size: number;
  changes: AsyncIterable<PlacedChange>;
  /**
   * Called after each finished child of an interior node, with the finished part of the new
   * map so far; may make it durable and record it (checkpointer.ts). The nodes it names are in
   * the writer's current pack or earlier ones.
   */
  between?: (finished: () => Frontier) => Promise<void>;
}

/** The finished part of a map being built: segments [0, done), covered by `nodes` (holes omitted). */
export interface Frontier {
  done: number;
  nodes: Array<{ level: number; index: number; ref: NodeRef }>;
}

export interface TreeResult {
  root: NodeRef | null;
  rootLevel: number;
  digest: Buffer;
}

/** An old node: a stored one, null for a hole, or 'lifted' for the levels a grown volume adds above the old root. */
type Old = NodeRef | null | 'lifted';

interface Built {
  ref: NodeRef | null;
  digest: Buffer;
}

export async function buildTree(input: TreeInput): Promise<TreeResult> {
  const { g, parent, size } = input;
  const changes = input.changes[Symbol.asyncIterator]();
  let next = await changes.next();
  const level = rootLevel(size, g);
  const segs = segmentCount(size, g);
  const oldLevel = parent ? parent.rootLevel : 0;
  const oldSize = parent ? parent.size : 0;
  // Below `common` the old and the new volume cover the same bytes, so a node there with no
  // change is the old node; with an unchanged size that holds for the partial last node too.
  const common = parent && oldSize === size ? Number.POSITIVE_INFINITY : Math.min(oldSize, size);

  const oldChildren = async (old: Old, lvl: number): Promise<Map<number, Old>> => {
    const out = new Map<number, Old>();
    if (old === 'lifted') out.set(0, lvl - 1 === oldLevel ? (parent?.root ?? null) : 'lifted');
    else if (old) {
      const children = (await input.reader.interior(old)).children;
      for (const c of children) out.set(c.index, c.ref);
      // The leaves under this node are read one by one as their segments change: fetch them
      // together now (a few coalesced GETs, not one per leaf, which on S3 is a round trip each).
      // Only leaves: prefetching interior levels would read a large volume's whole map.
      if (lvl === 1) input.reader.prefetch(children.map((c) => c.ref));
    }
    return out;
  };

  const build = async (lvl: number, index: number, old: Old): Promise<Built> => {
    const firstSeg = index * g.fanout ** lvl;
    const start = firstSeg * g.segmentSize;
    const end = start + nodeSpan(lvl, g);
    const nextIndex = next.done ? Number.POSITIVE_INFINITY : next.value.index;
    if (old !== 'lifted' && nextIndex >= firstSeg + g.fanout ** lvl && end <= common) {
      return old ? { ref: old, digest: old.digest } : { ref: null, digest: zeroDigest(lvl, g) };
    }
    if (lvl === 0) {
      let change: PlacedChange | null = null;
      if (nextIndex === index && !next.done) {
        change = next.value;
        next = await changes.next();
      }
      const length = Math.min(g.segmentSize, size - start);
      const oldLeaf = old && old !== 'lifted' ? await input.reader.leaf(old) : null;
      const leaf = applyChange(g, oldLeaf, change ?? { length, dirty: [], added: [], fingerprints: [] });
      return writeLeaf(leaf, length);
    }
    const olds = await oldChildren(old, lvl);
    const digests: Buffer[] = [];
    const children: MapChild[] = [];
    const childSpan = g.fanout ** (lvl - 1);
    building.push({ lvl, index, children });
    for (let c = 0; c < g.fanout && firstSeg + c * childSpan < segs; c++) {
      const r = await build(lvl - 1, index * g.fanout + c, olds.get(c) ?? null);
      digests.push(r.digest);
      if (r.ref) children.push({ index: c, ref: r.ref });
      const done = Math.min(segs, firstSeg + (c + 1) * childSpan);
      if (input.between) await input.between(() => finished(done));
    }
    building.pop();
    const digest = interiorDigest(digests);
    if (children.length === 0 && end <= size) return { ref: null, digest };
    const blob = await input.writer.writeInterior({ level: lvl, children });
    return { ref: { blob, digest }, digest };
  };

  // The interior nodes being built, outermost first, each with its finished children: together
  // they cover every finished segment, which is what a checkpoint records.
  const building: Array<{ lvl: number; index: number; children: MapChild[] }> = [];
  const finished = (done: number): Frontier => ({
    done,
    nodes: building.flatMap((f) => f.children.map((c) => ({ level: f.lvl - 1, index: f.index * g.fanout + c.index, ref: c.ref }))),
  });

  const writeLeaf = async (leaf: MapLeaf, length: number): Promise<Built> => {
    if (length === g.segmentSize && leaf.extents.length === 0 && leaf.fingerprints.equals(zeroLeafFingerprints(length, g))) {
      return { ref: null, digest: zeroDigest(0, g) };
    }
    const digest = leafDigest(leaf.fingerprints);
    const blob = await input.writer.writeLeaf(leaf);
    return { ref: { blob, digest }, digest };
  };

  if (size === 0) return { root: null, rootLevel: 0, digest: EMPTY_DIGEST };
  let old: Old = parent?.root ?? null;
  if (parent && level > oldLevel) old = 'lifted';
  else if (parent && level < oldLevel) {
    // The volume shrank below the old root's span: start from the old node covering segment 0.
    let ref = parent.root;
    for (let l = oldLevel; l > level && ref; l--) {
      ref = (await input.reader.interior(ref)).children.find((c) => c.index === 0)?.ref ?? null;
    }
    old = ref;
  }
  const built = await build(level, 0, old);
  return { root: built.ref, rootLevel: level, digest: built.digest };
}
