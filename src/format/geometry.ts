// How a repository cuts volumes and shapes their maps (from its config): block, fingerprint and
// segment sizes, the map's fanout, the pack size; and the shape of a map that follows from them.
// Used by the engine to build and read maps, and by the repository without loading the engine.
import type { RepoConfig } from './types.js';

/** The fields of a repository's config that cut volumes and shape maps. */
export type Geometry = Pick<RepoConfig, 'blockSize' | 'fingerprintSize' | 'segmentSize' | 'fanout' | 'packSize' | 'maxChunkSize'>;

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
