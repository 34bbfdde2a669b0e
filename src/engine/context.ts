// What the engine needs of an open repository: the store, the sealer and the geometry.
import type { Sealer } from '../format/seal.js';
import type { RepoConfig } from '../format/types.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ForwardTable } from './forward-table.js';

export interface Geometry {
  blockSize: number;
  fingerprintSize: number;
  segmentSize: number;
  fanout: number;
  packSize: number;
  maxChunkSize: number;
}

export interface RepoContext {
  readonly store: ObjectStore;
  readonly config: RepoConfig;
  readonly sealer: Sealer;
  readonly geometry: Geometry;
  /** The AEAD key, for worker threads that seal and open blobs (null: no encryption). */
  readonly aeadKey: Buffer | null;
  /** Keyed name of a volume, used in object keys so names reveal nothing. */
  volumeKey(volume: string): string;
  /** Where repacking moved blobs (loaded once, on first use; empty when nothing was repacked). */
  forwarding(): Promise<ForwardTable>;
}

export function geometryOf(config: RepoConfig): Geometry {
  return {
    blockSize: config.blockSize,
    fingerprintSize: config.fingerprintSize,
    segmentSize: config.segmentSize,
    fanout: config.fanout,
    packSize: config.packSize,
    maxChunkSize: config.maxChunkSize,
  };
}

export function segmentCount(size: number, g: Geometry): number {
  return Math.ceil(size / g.segmentSize);
}

/** Level of the root node for a volume of `size` bytes (0: the root is a leaf). */
export function rootLevel(size: number, g: Geometry): number {
  let level = 0;
  let covered = 1;
  const segs = segmentCount(size, g);
  while (covered < segs) {
    covered *= g.fanout;
    level++;
  }
  return level;
}

/** Bytes of volume covered by a node at `level`. */
export function nodeSpan(level: number, g: Geometry): number {
  return g.segmentSize * g.fanout ** level;
}
