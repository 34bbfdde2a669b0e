// Differences between two snapshots of a volume, from their maps alone: shared subtrees are
// skipped by reference, and leaves are compared extent by extent (same chunk, same offset).
import type { MapLeaf, Manifest, NodeRef } from '../format/types.js';
import { type RepoContext, segmentCount } from './context.js';
import { NodeReader } from './node-store.js';

export interface ByteRangeOut {
  offset: number;
  length: number;
}

type Node = NodeRef | null | 'lifted';

export async function diffSnapshots(ctx: RepoContext, from: Manifest, to: Manifest): Promise<ByteRangeOut[]> {
  const g = ctx.geometry;
  const reader = new NodeReader(ctx);
  const out: ByteRangeOut[] = [];
  const add = (offset: number, end: number) => {
    if (end <= offset) return;
    const last = out[out.length - 1];
    if (last && last.offset + last.length >= offset) last.length = Math.max(last.length, end - last.offset);
    else out.push({ offset, length: end - offset });
  };
  const common = Math.min(from.size, to.size);
  const segs = segmentCount(common, g);
  const level = Math.max(from.rootLevel, to.rootLevel);

  const children = async (n: Node, lvl: number, tree: Manifest): Promise<Map<number, Node>> => {
    const m = new Map<number, Node>();
    if (n === 'lifted') m.set(0, lvl - 1 === tree.rootLevel ? tree.root : 'lifted');
    else if (n) for (const c of (await reader.interior(n)).children) m.set(c.index, c.ref);
    return m;
  };
  const leaf = async (n: Node): Promise<MapLeaf | null> => (n && n !== 'lifted' ? reader.leaf(n) : null);

  const walk = async (a: Node, b: Node, lvl: number, index: number): Promise<void> => {
    if (a !== 'lifted' && b !== 'lifted' && (a === b || (a && b && a.blob.id.equals(b.blob.id)))) return;
    if (lvl === 0) {
      const segStart = index * g.segmentSize;
      compareLeaves(await leaf(a), await leaf(b), segStart, Math.min(g.segmentSize, common - segStart), add);
      return;
    }
    const [ca, cb] = await Promise.all([children(a, lvl, from), children(b, lvl, to)]);
    const span = g.fanout ** (lvl - 1);
    for (let c = 0; c < g.fanout && (index * g.fanout + c) * span < segs; c++) {
      await walk(ca.get(c) ?? null, cb.get(c) ?? null, lvl - 1, index * g.fanout + c);
    }
  };
  const rootOf = (m: Manifest): Node => (m.rootLevel < level ? 'lifted' : m.root);
  if (common > 0) await walk(rootOf(from), rootOf(to), level, 0);
  add(common, Math.max(from.size, to.size));
  return out;
}

function compareLeaves(a: MapLeaf | null, b: MapLeaf | null, segStart: number, segLen: number, add: (s: number, e: number) => void) {
  const cuts = new Set<number>([0, segLen]);
  const pieces = (l: MapLeaf | null) =>
    (l?.extents ?? []).map((e) => ({ s: e.start, e: e.start + e.length, key: `${e.chunk.id.toString('hex')}@${e.chunkOffset - e.start}` }));
  const pa = pieces(a);
  const pb = pieces(b);
  for (const p of [...pa, ...pb]) {
    cuts.add(Math.min(p.s, segLen));
    cuts.add(Math.min(p.e, segLen));
  }
  const sorted = [...cuts].sort((x, y) => x - y);
  const keyAt = (ps: typeof pa, pos: number) => ps.find((p) => p.s <= pos && pos < p.e)?.key ?? '';
  for (let i = 0; i + 1 < sorted.length; i++) {
    const s = sorted[i]!;
    const e = sorted[i + 1]!;
    if (keyAt(pa, s) !== keyAt(pb, s)) add(segStart + s, segStart + e);
  }
}
