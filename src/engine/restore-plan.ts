// What a restore will need from each data pack, learnt by walking the map once before reading
// any data, so that packs the restore touches only a little (the small packs of incremental
// backups, whose chunks are spread over the whole volume) are fetched once, in one ranged GET,
// instead of once per batch. Memory: one entry per pack, and the cached spans (bounded).
import { RESTORE_SPAN_CACHE, RESTORE_SPAN_MAX } from '../defaults.js';
import type { BlobRef, Manifest } from '../format/types.js';
import type { Geometry } from './context.js';
import type { NodeReader } from './node-store.js';
import { walkLeaves } from './tree-walk.js';

interface PackUse {
  start: number;
  end: number;
  /** Segments still to be restored that use this pack. */
  segments: number;
}

export class PackSpans {
  private readonly uses = new Map<string, PackUse>();
  private readonly cached = new Map<string, Promise<Buffer>>();
  private cachedBytes = 0;

  /** Walks the leaves of [fromSeg, toSeg) and records each data pack's span and users. */
  static async plan(reader: NodeReader, g: Geometry, m: Manifest, fromSeg: number, toSeg: number): Promise<PackSpans> {
    const spans = new PackSpans();
    for await (const v of walkLeaves(reader, g, m.root, m.rootLevel, fromSeg, toSeg)) {
      const seen = new Set<string>();
      for (const e of v.leaf.extents) {
        const key = e.chunk.pack.toString('hex');
        const u = spans.uses.get(key);
        if (!u) spans.uses.set(key, { start: e.chunk.offset, end: e.chunk.offset + e.chunk.length, segments: 1 });
        else {
          u.start = Math.min(u.start, e.chunk.offset);
          u.end = Math.max(u.end, e.chunk.offset + e.chunk.length);
          if (!seen.has(key)) u.segments++;
        }
        seen.add(key);
      }
    }
    return spans;
  }

  /**
   * The whole needed span of `pack` when it is small enough to keep until its last user is
   * done (fetched once, by `fetch`), or null: then the caller reads ranges per batch.
   */
  span(pack: string, fetch: (start: number, end: number) => Promise<Buffer>): { start: number; data: Promise<Buffer> } | null {
    const u = this.uses.get(pack);
    if (!u || u.end - u.start > RESTORE_SPAN_MAX) return null;
    let data = this.cached.get(pack);
    if (!data) {
      if (this.cachedBytes + (u.end - u.start) > RESTORE_SPAN_CACHE) return null;
      data = fetch(u.start, u.end);
      data.catch(() => {}); // awaited by every user
      this.cached.set(pack, data);
      this.cachedBytes += u.end - u.start;
    }
    return { start: u.start, data };
  }

  /** A segment using these packs is done: spans no later segment needs are dropped. */
  release(packs: Iterable<string>): void {
    for (const pack of packs) {
      const u = this.uses.get(pack);
      if (!u || --u.segments > 0) continue;
      this.uses.delete(pack);
      if (this.cached.delete(pack)) this.cachedBytes -= u.end - u.start;
    }
  }
}

export function packsOf(extents: ReadonlyArray<{ chunk: BlobRef }>): Set<string> {
  return new Set(extents.map((e) => e.chunk.pack.toString('hex')));
}
