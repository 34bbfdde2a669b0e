// Blob references through repacking's forwarding records. Map nodes are immutable and name a
// pack and an offset; when prune rewrites a mostly-dead pack it copies the live blobs (sealed
// as they are: a seal binds kind and blob id, not the place) and records where each went.
// Every reader resolves references here, so old snapshots keep working unchanged.
import { IntegrityError } from '../errors.js';
import type { ForwardMove } from './forward-codec.js';
import type { BlobRef, NodeRef } from './types.js';

export interface Place {
  pack: Buffer;
  offset: number;
}

export class ForwardTable {
  private readonly moves = new Map<string, Map<number, Place>>();
  /** Forwarded packs some resolved reference named: their records are still needed. */
  readonly hits = new Set<string>();

  get empty(): boolean {
    return this.moves.size === 0;
  }

  /** Whether repacking moved blobs out of this pack. */
  forwarded(packHex: string): boolean {
    return this.moves.has(packHex);
  }

  add(move: ForwardMove): void {
    const hex = move.from.toString('hex');
    let m = this.moves.get(hex);
    if (!m) this.moves.set(hex, (m = new Map()));
    for (let i = 0; i < move.fromOffsets.length; i++) m.set(move.fromOffsets[i]!, { pack: move.to, offset: move.toOffsets[i]! });
  }

  /** Where the blob is now: the reference itself when its pack was never repacked. */
  resolve(ref: BlobRef): BlobRef {
    if (this.moves.size === 0) return ref;
    const to = this.place(ref.pack, ref.offset);
    return to.pack === ref.pack ? ref : { ...ref, pack: to.pack, offset: to.offset };
  }

  /** Where the blob at (pack, offset) is now. */
  place(pack: Buffer, offset: number): Place {
    let cur: Place = { pack, offset };
    // Each prune rewrites the records with chains collapsed, so one step is the rule; more
    // can be seen only between a prune's new record and the deletion of the old ones.
    for (let step = 0; step <= this.moves.size; step++) {
      const hex = cur.pack.toString('hex');
      const to = this.moves.get(hex)?.get(cur.offset);
      if (!to) return cur; // not moved: the pack still holds it, and prune keeps the pack
      this.hits.add(hex);
      cur = to;
    }
    throw new IntegrityError(`forwarding records of pack ${pack.toString('hex')} form a cycle`);
  }

  resolveNode(ref: NodeRef): NodeRef {
    const blob = this.resolve(ref.blob);
    return blob === ref.blob ? ref : { ...ref, blob };
  }

  /** Packs with forwarded blobs, each with its moves as (from offset, to place). */
  *packs(): IterableIterator<[string, ReadonlyMap<number, Place>]> {
    yield* this.moves;
  }
}
