// The engine's public surface: the one module the layers above (repo, nbd, service, cli, the
// library API) import from src/engine. Everything not named here is the engine's own business;
// test/arch/dependencies.test.ts holds every import outside src/engine to this file.

// What the engine needs of an open repository (its geometry, forwarding table and the integrity
// mapping of stored bytes live in src/format, for the repository to use without the engine).
export type { RepoContext } from './context.js';
export type { Progress, ProgressFn } from './progress.js';

// Backing up a volume: its source, the change hint, checkpoints to resume from.
export { type BackupInput, type BackupOutcome, backup } from './backup.js';
export { HINT_MODES, type HintMode } from './hint-check.js';
export type { BackupHint, HintReport } from './hint-plan.js';
export { SourceFile, blockDeviceSize } from './source.js';
export { type VolumeSource, isStream, openVolumeSource } from './volume-source.js';
export type { CheckpointOptions } from './checkpointer.js';
export type { ResumePoint } from './resume-leaves.js';
export type { Frontier } from './tree-builder.js';

// Starting a CPU worker while the repository is opened, for the backup or restore that follows.
export { prestartCpuPool } from './workers/cpu-pool.js';

// Reading a snapshot back: restore to a target, random reads (NBD), the difference of two.
export { type RestoreInput, type RestoreOutcome, restore } from './restore.js';
export { RestoreTarget } from './target.js';
export {
  type AllocationExtent,
  type ReadCursor,
  type ReaderStats,
  type SegmentSpill,
  SnapshotReader,
  type SnapshotReaderOptions,
} from './snapshot-reader.js';
export { type ByteRangeOut, diffSnapshots } from './diff.js';

// One snapshot of a repository rebuilt in another (copy).
export { type CopyBase, type SnapshotCopy, type SnapshotCopyInput, copySnapshot } from './snapshot-copy.js';

// Walking the maps of stored snapshots (check, prune, cold-restore planning).
export { MapWalker } from './map-walker.js';
export type { LeafVisit } from './tree-walk.js';
