// The end of every snapshot written into a repository, backup and copy alike: its map built
// copy-on-write on the base's, then the data packs and tree packs made durable (in that order),
// then the manifest assembled from both. The caller commits the manifest; until then nothing of
// the snapshot is visible.
import type { Manifest, NodeRef, SnapshotStats } from '../format/types.js';
import type { RepoContext } from './context.js';
import { DataSink } from './data-sink.js';
import { NodeReader, NodeWriter } from './node-store.js';
import type { Frontier, PlacedChange } from './tree-builder.js';
import { buildTree } from './tree-builder.js';

/**
 * What a manifest says of its snapshot besides the map: who it is and where it comes from
 * (`parent`: the base the map was built on, null for a map built from nothing).
 */
export type SnapshotMeta = Pick<Manifest, 'id' | 'volume' | 'parent' | 'timeMs' | 'size' | 'labels' | 'sourceId'>;

/** The snapshot's map, as built on: root, level and size of the base (null: none). */
export interface MapBase {
  root: NodeRef | null;
  rootLevel: number;
  size: number;
}

/**
 * One snapshot being written: `sink` takes its data chunks, `reader` reads the base's map (and
 * may be shared with whatever read it before, so cached nodes are not fetched twice).
 */
export class SnapshotWriter {
  readonly sink: DataSink;
  readonly writer: NodeWriter;

  constructor(
    private readonly ctx: RepoContext,
    readonly reader: NodeReader = new NodeReader(ctx),
    onUploaded?: (bytes: number) => void,
  ) {
    this.sink = new DataSink(ctx, onUploaded);
    this.writer = new NodeWriter(ctx);
  }

  get bytesUploaded(): number {
    return this.sink.bytesUploaded + this.writer.bytesUploaded;
  }

  get objectsUploaded(): number {
    return this.sink.objectsUploaded + this.writer.objectsUploaded;
  }

  /**
   * Builds the map from `changes` on `base`, makes every pack durable (data packs, then tree
   * packs), and returns the manifest to commit. `stats` are the writer's figures of bytes
   * read and changed; uploads are counted here.
   */
  async finish(input: {
    meta: SnapshotMeta;
    base: MapBase | null;
    changes: AsyncIterable<PlacedChange>;
    stats: Pick<SnapshotStats, 'bytesRead' | 'bytesChanged' | 'mode'>;
    between?: (finished: () => Frontier) => Promise<void>;
  }): Promise<Manifest> {
    const tree = await buildTree({
      g: this.ctx.geometry,
      reader: this.reader,
      writer: this.writer,
      parent: input.base,
      size: input.meta.size,
      changes: input.changes,
      ...(input.between ? { between: input.between } : {}),
    });
    // Commit order: data packs, then tree packs; the manifest comes last, from the caller.
    await this.sink.finish();
    await this.writer.flush();
    const { meta } = input;
    return {
      id: meta.id,
      volume: meta.volume,
      parent: meta.parent,
      timeMs: meta.timeMs,
      size: meta.size,
      labels: meta.labels,
      sourceId: meta.sourceId,
      root: tree.root,
      rootLevel: tree.rootLevel,
      imageDigest: tree.digest,
      packs: [...this.sink.packs, ...this.writer.packs],
      stats: { ...input.stats, bytesUploaded: this.bytesUploaded, objectsUploaded: this.objectsUploaded },
    };
  }
}
