// In-memory forms of the persisted messages of proto/snaptier.proto, validated on decode.

export const FORMAT_VERSION = 1;

export interface BlobRef {
  pack: Buffer; // 16 bytes
  offset: number;
  length: number;
  id: Buffer; // 16 bytes
  rawLength: number;
}

export interface NodeRef {
  blob: BlobRef;
  digest: Buffer; // 32 bytes
}

export interface Extent {
  start: number;
  length: number;
  chunk: BlobRef;
  chunkOffset: number;
}

export interface MapLeaf {
  extents: Extent[];
  fingerprints: Buffer;
}

export interface MapChild {
  index: number;
  ref: NodeRef;
}

export interface MapInterior {
  level: number;
  children: MapChild[];
}

export interface SnapshotStats {
  bytesRead: number;
  bytesChanged: number;
  bytesUploaded: number;
  objectsUploaded: number;
  mode: string;
}

export interface Manifest {
  id: Buffer;
  volume: string;
  parent: Buffer | null;
  timeMs: number;
  size: number;
  labels: Record<string, string>;
  root: NodeRef | null;
  rootLevel: number;
  imageDigest: Buffer;
  packs: Buffer[];
  stats: SnapshotStats;
  /** The storage layer's name of the source snapshot (`--source-id`); '' when none was given. */
  sourceId: string;
}

export interface KeyWrapInfo {
  kdf: 'scrypt';
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  wrapped: Buffer;
}

export interface RepoConfig {
  version: number;
  repoId: Buffer;
  key: KeyWrapInfo | null;
  compression: number;
  blockSize: number;
  fingerprintSize: number;
  segmentSize: number;
  fanout: number;
  packSize: number;
  maxChunkSize: number;
  dataTier: string;
  createdMs: number;
  /** Immutability of written objects (proto field `lock`); null when nothing is made immutable. */
  immutability: ImmutabilityPolicy | null;
}

export type ImmutabilityMode = 'compliance' | 'governance';

export interface ImmutabilityPolicy {
  mode: ImmutabilityMode;
  /** Immutability after each write; 0 when only `untilMs` applies. */
  seconds: number;
  /** A fixed earliest end of immutability; 0 for none. */
  untilMs: number;
}

export enum PackKind {
  Data = 0,
  Tree = 1,
}

export interface PackEntry {
  id: Buffer;
  offset: number;
  length: number;
  rawLength: number;
}

export interface PackTrailer {
  pack: Buffer;
  kind: PackKind;
  entries: PackEntry[];
}
