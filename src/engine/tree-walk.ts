// In-order traversal of a snapshot's map: the leaves that exist, by segment index. Missing
// leaves are holes. Children of each interior node are prefetched together.
import type { BlobRef, MapLeaf, NodeRef } from '../format/types.js';
import type { Geometry } from './context.js';
import type { NodeReader } from './node-store.js';

export interface LeafVisit {
  index: number;
  ref: NodeRef;
  leaf: MapLeaf;
}

export async function* walkLeaves(
  reader: NodeReader,
  g: Geometry,
  root: NodeRef | null,
  rootLevel: number,
  fromSeg = 0,
  toSeg = Number.POSITIVE_INFINITY,
): AsyncIterable<LeafVisit> {
  if (root) yield* walk(reader, g, root, rootLevel, 0, fromSeg, toSeg);
}

async function* walk(
  reader: NodeReader,
  g: Geometry,
  ref: NodeRef,
  level: number,
  index: number,
  fromSeg: number,
  toSeg: number,
): AsyncIterable<LeafVisit> {
  if (level === 0) {
    yield { index, ref, leaf: await reader.leaf(ref) };
    return;
  }
  const node = await reader.interior(ref);
  const span = g.fanout ** (level - 1);
  const inRange = node.children.filter((c) => {
    const first = (index * g.fanout + c.index) * span;
    return first < toSeg && first + span > fromSeg;
  });
  reader.prefetch(inRange.map((c) => c.ref));
  for (const c of inRange) yield* walk(reader, g, c.ref, level - 1, index * g.fanout + c.index, fromSeg, toSeg);
}

/**
 * The leaves of these segments (sorted, distinct), read level by level: the nodes a level needs
 * are prefetched together, so scattered segments cost about one ranged GET per level and tree
 * pack, not one per leaf, and the nodes stay in the reader's cache for a walk that follows.
 * Holes are absent from the result.
 */
export async function leavesAt(
  reader: NodeReader,
  g: Geometry,
  root: NodeRef | null,
  rootLevel: number,
  segments: readonly number[],
): Promise<Map<number, MapLeaf>> {
  const out = new Map<number, MapLeaf>();
  if (!root || segments.length === 0) return out;
  let frontier: Array<{ ref: NodeRef; index: number; wanted: readonly number[] }> = [{ ref: root, index: 0, wanted: segments }];
  for (let level = rootLevel; level > 0 && frontier.length > 0; level--) {
    const span = g.fanout ** (level - 1);
    const nodes = await Promise.all(frontier.map((f) => reader.interior(f.ref)));
    const next: typeof frontier = [];
    nodes.forEach((node, i) => {
      const f = frontier[i]!;
      for (const c of node.children) {
        const index = f.index * g.fanout + c.index;
        const wanted = f.wanted.filter((s) => s >= index * span && s < (index + 1) * span);
        if (wanted.length > 0) next.push({ ref: c.ref, index, wanted });
      }
    });
    reader.prefetch(next.map((n) => n.ref));
    frontier = next;
  }
  const leaves = await Promise.all(frontier.map((f) => reader.leaf(f.ref)));
  frontier.forEach((f, i) => {
    if (f.wanted.includes(f.index)) out.set(f.index, leaves[i]!);
  });
  return out;
}

/** The node at (level, index) of a tree, or null when that subtree is a hole or absent. */
export async function findNode(
  reader: NodeReader,
  g: Geometry,
  root: NodeRef | null,
  rootLevel: number,
  level: number,
  index: number,
): Promise<NodeRef | null> {
  if (level > rootLevel) return null;
  let ref = root;
  for (let l = rootLevel; l > level && ref; l--) {
    const childIndex = Math.floor(index / g.fanout ** (l - 1 - level)) % g.fanout;
    const node = await reader.interior(ref);
    ref = node.children.find((c) => c.index === childIndex)?.ref ?? null;
  }
  return ref;
}

/**
 * Every node of a map once, for the walks over all snapshots (check, prune): nodes already in
 * `seen` (subtrees shared with a snapshot walked before) are skipped with all below them.
 * `onNode` gets each node reference, `onChunk` each chunk of each leaf, both resolved through
 * the forwarding records; children of an interior node are prefetched together.
 */
export async function visitTree(
  reader: NodeReader,
  root: NodeRef,
  rootLevel: number,
  seen: Set<string>,
  onNode: (ref: NodeRef) => void,
  onChunk: (chunk: BlobRef) => void,
): Promise<void> {
  const visit = async (ref: NodeRef, level: number): Promise<void> => {
    const id = ref.blob.id.toString('hex');
    if (seen.has(id)) return;
    seen.add(id);
    onNode(ref);
    if (level === 0) {
      for (const e of (await reader.leaf(ref)).extents) onChunk(e.chunk);
      return;
    }
    const node = await reader.interior(ref);
    reader.prefetch(node.children.filter((c) => !seen.has(c.ref.blob.id.toString('hex'))).map((c) => c.ref));
    for (const c of node.children) await visit(c.ref, level - 1);
  };
  await visit(await reader.resolve(root), rootLevel);
}
