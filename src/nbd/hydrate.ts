// Live restore: while the snapshot is served, copy all of it into the target in the background.
// The target is a CowExport (overlay.ts) in hydration mode: client writes go into it, clusters it
// already holds are served from it, and the copy stores only clusters nobody has written since.
// When every cluster is in, the target alone is the recovered volume (and its map is removed).
// A range that cannot be read (damaged pack, store down) is skipped, retried once at the end, and
// otherwise reported: the target then stays incomplete, the server keeps serving the merged view,
// and the cluster map beside a file target records what it holds, so a later run resumes.
// Memory: one chunk (CHUNK bytes) being copied, plus what the snapshot reader caches.
import { errorMessage } from '../errors.js';
import { CLUSTER, Cluster } from './cluster-map.js';
import { type BlockExport, newCursor } from './export.js';
import type { CowExport } from './overlay.js';

/** Bytes copied per step: large enough for long ranged GETs through the reader's read-ahead. */
const CHUNK = 8 << 20;

export interface HydrationProgress {
  bytesTotal: number;
  /** Bytes the target holds (copied, or written by clients). */
  bytesHydrated: number;
  bytesCopied: number;
  done: boolean;
  /** Why hydration could not finish (the first failure), or null. */
  failed: string | null;
  failedRanges: Array<{ offset: number; length: number }>;
  durationMs: number | null;
}

export class Hydration {
  readonly progress: HydrationProgress;
  private readonly base: BlockExport;
  private stopped = false;
  private started = 0;

  constructor(
    private readonly target: CowExport,
    private readonly now: () => number = Date.now,
    private readonly onDone: (p: HydrationProgress) => void = () => {},
  ) {
    this.base = target.base;
    this.progress = {
      bytesTotal: target.size,
      bytesHydrated: 0,
      bytesCopied: 0,
      done: false,
      failed: null,
      failedRanges: [],
      durationMs: null,
    };
  }

  /** Copies everything not yet in the target; resolves when done, failed or stopped (never rejects). */
  async run(): Promise<void> {
    this.started = this.now();
    const cursor = newCursor();
    const failed: Array<{ offset: number; length: number; why: string }> = [];
    for (let offset = 0; offset < this.target.size && !this.stopped; offset += CHUNK) {
      const length = Math.min(CHUNK, this.target.size - offset);
      const why = await this.copy(offset, length, cursor);
      if (why) failed.push({ offset, length, why });
    }
    // One more try for what failed: a store that was briefly away may be back.
    const still = [];
    for (const f of failed) {
      if (this.stopped) break;
      const why = await this.copy(f.offset, f.length, newCursor());
      if (why) still.push({ ...f, why });
    }
    this.refresh();
    if (this.stopped) return;
    this.progress.failedRanges = still.map(({ offset, length }) => ({ offset, length }));
    this.progress.failed = still[0] ? `bytes ${still[0].offset}-${still[0].offset + still[0].length - 1}: ${still[0].why}` : null;
    try {
      await this.target.flush();
      this.progress.done = still.length === 0 && this.target.map.taken === this.target.map.count;
    } catch (err) {
      this.progress.failed ??= errorMessage(err);
    }
    this.progress.durationMs = this.now() - this.started;
    this.onDone(this.progress);
  }

  /** Ends the copy after the chunk in progress. */
  stop(): void {
    this.stopped = true;
  }

  /** Copies one chunk's clusters still to be copied; returns why it failed, or null. */
  private async copy(offset: number, length: number, cursor: ReturnType<typeof newCursor>): Promise<string | null> {
    const pending = [...this.target.map.runs(offset, offset + length)].some(([, , s]) => s === Cluster.Base);
    if (!pending) {
      this.refresh();
      return null;
    }
    try {
      const holes = await this.base.allocation(offset, length);
      const allHole = holes.every((h) => h.hole);
      const data = allHole && !this.target.isBlockDevice ? Buffer.alloc(0) : await this.base.read(offset, length, cursor);
      this.progress.bytesCopied += await this.target.fill(offset, allHole && data.length === 0 ? Buffer.alloc(length) : data, holes);
      this.refresh();
      return null;
    } catch (err) {
      return errorMessage(err);
    }
  }

  private refresh(): void {
    const m = this.target.map;
    this.progress.bytesHydrated = Math.min(this.target.size, m.taken * CLUSTER);
  }
}
