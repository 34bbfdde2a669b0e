// Reading and writing map nodes. Nodes are sealed blobs in tree packs; reads are cached by
// blob id and prefetched in batches so the children of one interior node cost one ranged GET
// per pack instead of one per node.
import { COALESCE_GAP, LIMITS } from '../defaults.js';
import { decodeInterior, decodeLeaf, encodeInterior, encodeLeaf } from '../format/codec.js';
import { packKey } from '../format/layout.js';
import { PackBuilder } from '../format/pack.js';
import { BlobKind } from '../format/seal.js';
import { type BlobRef, type MapInterior, type MapLeaf, type NodeRef, PackKind } from '../format/types.js';
import type { RepoContext } from './context.js';
import type { ForwardTable } from './forward-table.js';
import { guard } from './integrity.js';

const CACHE_ENTRIES = 4096;

export class NodeReader {
  private readonly cache = new Map<string, Promise<Buffer>>();
  private table: Promise<ForwardTable> | null = null;

  constructor(private readonly ctx: RepoContext) {}

  /**
   * Nodes come back with every reference in them resolved through the forwarding records
   * (see forward-table.ts), so callers see where blobs are now, never where they were.
   */
  async leaf(ref: NodeRef): Promise<MapLeaf> {
    const fwd = await this.forwarding();
    const plain = await this.plain(fwd.resolve(ref.blob));
    const leaf = await guard(nodeName(ref.blob), () => decodeLeaf(plain, LIMITS.nodeBytes));
    if (fwd.empty) return leaf;
    return { ...leaf, extents: leaf.extents.map((e) => ({ ...e, chunk: fwd.resolve(e.chunk) })) };
  }

  async interior(ref: NodeRef): Promise<MapInterior> {
    const fwd = await this.forwarding();
    const plain = await this.plain(fwd.resolve(ref.blob));
    const node = await guard(nodeName(ref.blob), () => decodeInterior(plain, LIMITS.nodeBytes, this.ctx.geometry.fanout));
    if (fwd.empty) return node;
    return { ...node, children: node.children.map((c) => ({ ...c, ref: fwd.resolveNode(c.ref) })) };
  }

  /** A reference taken from outside a node (a manifest's root), resolved. */
  async resolve(ref: NodeRef): Promise<NodeRef> {
    return (await this.forwarding()).resolveNode(ref);
  }

  forwarding(): Promise<ForwardTable> {
    this.table ??= this.ctx.forwarding();
    return this.table;
  }

  /**
   * Starts fetching these nodes together; later leaf()/interior() calls find them cached. The
   * references must be resolved ones: children of a node this reader returned.
   */
  prefetch(refs: readonly NodeRef[]): void {
    const missing = refs.map((r) => r.blob).filter((b) => !this.cache.has(cacheKey(b)));
    for (const group of coalesce(missing)) {
      const fetched = guard(`tree pack ${packKey(PackKind.Tree, group.pack)}`, () =>
        this.ctx.store.get(packKey(PackKind.Tree, group.pack), { range: { offset: group.start, length: group.end - group.start } }),
      );
      for (const b of group.blobs) {
        const p = fetched.then((buf) => this.open(b, buf.subarray(b.offset - group.start, b.offset - group.start + b.length)));
        p.catch(() => {}); // reported when awaited
        this.remember(b, p);
      }
    }
  }

  private plain(b: BlobRef): Promise<Buffer> {
    const key = cacheKey(b);
    let p = this.cache.get(key);
    if (!p) {
      p = guard(nodeName(b), () => this.ctx.store.get(packKey(PackKind.Tree, b.pack), { range: { offset: b.offset, length: b.length } })).then((buf) =>
        this.open(b, buf),
      );
      this.remember(b, p);
    }
    return p;
  }

  private open(b: BlobRef, sealed: Buffer): Promise<Buffer> {
    return guard(nodeName(b), () => this.ctx.sealer.open(BlobKind.Node, b.id, sealed, b.rawLength));
  }

  private remember(b: BlobRef, p: Promise<Buffer>): void {
    if (this.cache.size >= CACHE_ENTRIES) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(cacheKey(b), p);
  }
}

/** Appends new nodes to tree packs; a pack is uploaded by `flush` (or when it fills). */
export class NodeWriter {
  private pack: PackBuilder | null = null;
  readonly packs: Buffer[] = [];
  bytesUploaded = 0;
  objectsUploaded = 0;

  constructor(private readonly ctx: RepoContext) {}

  async writeLeaf(leaf: MapLeaf): Promise<BlobRef> {
    return this.write(encodeLeaf(leaf));
  }

  async writeInterior(node: MapInterior): Promise<BlobRef> {
    return this.write(encodeInterior(node));
  }

  private async write(plain: Uint8Array): Promise<BlobRef> {
    if (!this.pack) this.pack = new PackBuilder(PackKind.Tree, this.ctx.sealer);
    const ref = this.pack.add(BlobKind.Node, plain);
    if (this.pack.bytes >= this.ctx.geometry.packSize) await this.flush();
    return ref;
  }

  async flush(): Promise<void> {
    const pack = this.pack;
    if (!pack) return;
    this.pack = null;
    const parts = pack.finish();
    await this.ctx.store.put(packKey(PackKind.Tree, pack.id), parts);
    this.packs.push(pack.id);
    this.bytesUploaded += parts.reduce((n, p) => n + p.length, 0);
    this.objectsUploaded++;
  }
}

export function nodeName(b: BlobRef): string {
  return `map node ${b.id.toString('hex').slice(0, 16)} in ${packKey(PackKind.Tree, b.pack)}`;
}

function cacheKey(b: BlobRef): string {
  return b.id.toString('hex');
}

export interface RangeGroup {
  pack: Buffer;
  start: number;
  end: number;
  blobs: BlobRef[];
}

/** Groups blob references by pack into ranges, merging neighbours closer than COALESCE_GAP. */
export function coalesce(blobs: readonly BlobRef[], maxRange = 16 << 20): RangeGroup[] {
  const sorted = [...blobs].sort((a, b) => Buffer.compare(a.pack, b.pack) || a.offset - b.offset);
  const out: RangeGroup[] = [];
  let cur: RangeGroup | null = null;
  for (const b of sorted) {
    const end = b.offset + b.length;
    if (cur?.pack.equals(b.pack) && b.offset <= cur.end + COALESCE_GAP && end - cur.start <= maxRange) {
      cur.end = Math.max(cur.end, end);
      cur.blobs.push(b);
    } else {
      cur = { pack: b.pack, start: b.offset, end, blobs: [b] };
      out.push(cur);
    }
  }
  return out;
}
