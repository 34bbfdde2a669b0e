// The leaves an interrupted run of a backup stored, looked up segment by segment as the new run
// reaches them (checkpoints of that run name its finished subtrees), so that a segment still
// holding the same bytes is mapped as that run mapped it instead of being compressed, sealed and
// uploaded again. A leaf is offered only when every pack its extents name is still there and
// long enough (one HEAD per pack, remembered); anything unreadable in a checkpoint makes the
// lookups skip that checkpoint, never fail the backup.
import { errorMessage } from '../errors.js';
import { packKey } from '../format/layout.js';
import { type MapLeaf, type NodeRef, PackKind } from '../format/types.js';
import { isNotFound } from '../store/object-store.js';
import type { RepoContext } from './context.js';
import type { NodeReader } from './node-store.js';
import type { Frontier } from './tree-builder.js';

/** What a checkpoint says is finished, and how to name it in messages. */
export interface ResumePoint extends Frontier {
  name: string;
}

export class ResumeLeaves {
  /** Leaves found for segments the pipeline has not yet placed, by segment, in ascending order. */
  private readonly found = new Map<number, MapLeaf>();
  private readonly packSizes = new Map<string, Promise<number | null>>();
  private readonly skipped = new Set<ResumePoint>();
  /** Points and level-1 nodes whose leaves are being fetched ahead, with their packs' HEADs. */
  private readonly warmed = new Set<ResumePoint | string>();
  /** Why a checkpoint stopped being used (damaged, or naming objects that are gone). */
  readonly problems: string[] = [];

  constructor(
    private readonly ctx: RepoContext,
    private readonly reader: NodeReader,
    /** Best first: the newest checkpoint's leaf is tried before an older one's. */
    private readonly points: readonly ResumePoint[],
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * The fingerprints of the leaf an interrupted run stored for segment `index`, or null. Called
   * in ascending segment order; `take` later gives the leaf itself.
   */
  async fingerprintsAt(index: number): Promise<Buffer | null> {
    for (const p of this.points) {
      if (index >= p.done || this.skipped.has(p)) continue;
      try {
        const leaf = await this.leafIn(p, index);
        if (leaf && (await this.stored(leaf))) {
          this.found.set(index, leaf);
          return leaf.fingerprints;
        }
      } catch (err) {
        this.signal?.throwIfAborted();
        this.skipped.add(p);
        this.problems.push(`${p.name} not used: ${errorMessage(err)}`);
      }
    }
    return null;
  }

  /** The leaf found for segment `index`, if any; forgets it and every earlier one. */
  take(index: number): MapLeaf | null {
    const leaf = this.found.get(index) ?? null;
    for (const k of this.found.keys()) {
      if (k > index) break;
      this.found.delete(k);
    }
    return leaf;
  }

  private async leafIn(p: ResumePoint, index: number): Promise<MapLeaf | null> {
    const { fanout } = this.ctx.geometry;
    // The node covering `index`: nodes are sorted by first segment and do not overlap.
    let lo = 0;
    let hi = p.nodes.length - 1;
    let hit: ResumePoint['nodes'][number] | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const n = p.nodes[mid]!;
      const span = fanout ** n.level;
      if (index < n.index * span) hi = mid - 1;
      else if (index >= (n.index + 1) * span) lo = mid + 1;
      else {
        hit = n;
        break;
      }
    }
    if (!hit) return null; // a hole in that run's map
    if (!this.warmed.has(p)) {
      // The leaves the checkpoint names directly (the last node's finished children).
      this.warmed.add(p);
      const fwd = await this.reader.forwarding();
      this.warm(p.nodes.filter((n) => n.level === 0).map((n) => fwd.resolveNode(n.ref)));
    }
    let ref = await this.reader.resolve(hit.ref);
    for (let level = hit.level; level > 0; level--) {
      const node = await this.reader.interior(ref);
      // The leaves under one node are wanted one after the other: fetch them together.
      const id = ref.blob.id.toString('hex');
      if (level === 1 && !this.warmed.has(id)) {
        this.warmed.add(id);
        this.warm(node.children.map((c) => c.ref));
      }
      const want = Math.floor(index / fanout ** (level - 1)) % fanout;
      const child = node.children.find((c) => c.index === want);
      if (!child) return null;
      ref = child.ref;
    }
    return this.reader.leaf(ref);
  }

  /**
   * Fetches these leaves together and starts the HEADs of the packs they name, so lookups made
   * one segment after the other do not wait a round trip each. Failures surface when awaited.
   */
  private warm(refs: readonly NodeRef[]): void {
    this.reader.prefetch(refs);
    for (const r of refs) {
      this.reader.leaf(r).then(
        (leaf) => {
          for (const e of leaf.extents) this.packSize(e.chunk.pack).catch(() => {});
        },
        () => {},
      );
    }
  }

  /** True when every chunk of the leaf lies inside a data pack that is still stored. */
  private async stored(leaf: MapLeaf): Promise<boolean> {
    for (const e of leaf.extents) {
      const size = await this.packSize(e.chunk.pack);
      if (size === null || e.chunk.offset + e.chunk.length > size) return false;
    }
    return true;
  }

  private packSize(pack: Buffer): Promise<number | null> {
    const hex = pack.toString('hex');
    let p = this.packSizes.get(hex);
    if (!p) {
      p = this.ctx.store.head(packKey(PackKind.Data, pack)).then(
        (info) => info.size,
        (err) => {
          if (isNotFound(err)) return null;
          throw err;
        },
      );
      this.packSizes.set(hex, p);
    }
    return p;
  }
}
