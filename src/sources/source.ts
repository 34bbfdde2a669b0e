// What a snapshot source gives the daemon: a readable snapshot of a volume and, optionally, a
// list of the byte ranges that changed since an earlier snapshot of the same source, together
// with the name of that snapshot (the base). Sources know nothing of repositories: the daemon
// decides whether the base is the one the repository's latest snapshot was taken from.

import type { Readable } from 'node:stream';

export interface Extent {
  offset: number;
  length: number;
}

export interface TakenSnapshot {
  /**
   * The file or block device to read, or a stream of the volume, made ready after the hooks ran
   * (they surround only the snapshot's creation: a frozen file system is thawed before the long read).
   */
  open(signal: AbortSignal): Promise<string | Readable>;
  /** The source's name for this snapshot (recorded with the backup), or null. */
  sourceId: string | null;
  /** Ranges that may differ from snapshot `base` of this source; null: no list. */
  changes: { base: string; extents: Extent[] } | null;
  /** Called once the backup ended: `backedUp` says whether its snapshot was committed. */
  finish(backedUp: boolean): Promise<void>;
}

export interface TakeOptions {
  signal: AbortSignal;
  /** A fresh name for this snapshot ({name} in commands). */
  name: string;
}

export interface VolumeSource {
  readonly type: string;
  take(opts: TakeOptions): Promise<TakenSnapshot>;
}
