// The chains the engine suite runs on each object-store server (s3rver, Azurite, Ceph RGW): small
// enough that a server adds at most a minute (measured: s3rver ~15 s, Azurite ~15 s, Ceph ~45 s,
// where every GET on a kept-alive connection costs ~40 ms), enough for every change-detection
// mode, both codecs, encryption on and off, and map trees of depth 3 that grow and shrink.
import { Codec } from '../../src/index.js';
import type { ChainSpec } from '../engine/engine-suite.js';

const MiB = 1024 * 1024;

export const SERVER_CHAINS: ChainSpec[] = [
  { seed: 11, size: 3 * MiB + 1234, steps: 12, encrypted: true, compression: Codec.Zstd },
  // 256 KiB segments and fanout 4: nine leaves under two levels of interior nodes.
  { seed: 33, size: 2 * MiB + 777, steps: 12, encrypted: false, compression: Codec.Lz4, geometry: { segmentSize: 262144, fanout: 4 } },
];

/**
 * Ceph RGW runs the first chain only: the second proves codec and map-tree geometry, which are the
 * engine's and are proven through the same S3 adapter on s3rver (and on Azurite and the local
 * store); Ceph adds a real gateway's semantics, which one chain, the contract suite and the S3
 * behaviours exercise. Every GET there costs ~40 ms, so the second chain cost ~20 s.
 */
export const CEPH_CHAINS: ChainSpec[] = SERVER_CHAINS.slice(0, 1);
