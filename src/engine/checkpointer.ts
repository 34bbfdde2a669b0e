// Every so often during a backup, makes the finished part of the new map durable and hands it to
// `save` (the repository layer stores it as a checkpoint), so a killed backup can be resumed:
// the data packs first, then the tree pack holding the finished nodes, then the checkpoint.
// The pipeline waits meanwhile: at most UPLOADS_IN_FLIGHT data packs, one short data pack and
// one tree pack, every CHECKPOINT.everyPacks packs.
import { CHECKPOINT } from '../defaults.js';
import type { DataSink } from './data-sink.js';
import type { NodeWriter } from './node-store.js';
import type { Frontier } from './tree-builder.js';

export interface CheckpointOptions {
  /** Stores the finished part; every node and chunk under it is durable when this is called. */
  save: (finished: Frontier) => Promise<void>;
  everyPacks?: number;
  everyMs?: number;
  now?: () => number;
}

export class Checkpointer {
  private packsAt = 0;
  private doneAt = 0;
  private lastMs: number;
  private readonly now: () => number;
  /** Checkpoints saved so far. */
  count = 0;

  constructor(
    private readonly opts: CheckpointOptions,
    private readonly sink: DataSink,
    private readonly writer: NodeWriter,
  ) {
    this.now = opts.now ?? Date.now;
    this.lastMs = this.now();
  }

  /** The tree builder's `between`: a checkpoint when enough packs or time have passed. */
  readonly between = async (finished: () => Frontier): Promise<void> => {
    const packs = this.sink.objectsUploaded - this.packsAt;
    const now = this.now();
    if (packs < (this.opts.everyPacks ?? CHECKPOINT.everyPacks) && now - this.lastMs < (this.opts.everyMs ?? CHECKPOINT.everyMs)) return;
    this.lastMs = now;
    if (finished().done <= this.doneAt) return; // nothing finished since the last one
    await this.sink.finish();
    await this.writer.flush();
    const f = finished();
    await this.opts.save(f);
    this.packsAt = this.sink.objectsUploaded;
    this.doneAt = f.done;
    this.lastMs = this.now();
    this.count++;
  };
}
