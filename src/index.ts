// The public library API: what the CLI uses and what a program embedding snaptier imports.
export { Repository, codecFromName, type InitOptions } from './repo/repository.js';
export { backupVolume, restoreSnapshot, diffVolume, type BackupRequest, type BackupReport, type RestoreRequest } from './repo/jobs.js';
export { listSnapshots, resolveSnapshot, snapshotId, shortId, checkVolumeName } from './repo/catalog.js';
export { checkRepository, type CheckReport, type CheckOptions } from './repo/check.js';
export { forget, type ForgetOptions, type ForgetReport } from './repo/forget.js';
export { prune, type PruneOptions, type PruneReport } from './repo/prune.js';
export { placeHold, releaseHolds, listHolds, type StoredHold } from './repo/holds.js';
export { applyPolicy, type RetentionPolicy } from './repo/retention.js';
export { acquireLock, withLock, RepoLockHandle, type LockRequest } from './repo/repo-lock.js';
export { runningSince, unlock, readLocks, lockWarnings, type StoredLock, type LockSummary, type UnlockReport } from './repo/lock-objects.js';
export { copySnapshots, originOf, COPY_LABEL, type CopyRequest, type CopyReport, type CopiedSnapshot } from './repo/copy.js';
export { LocalStore } from './store/local/local-store.js';
export * from './store/object-store.js';
export * from './errors.js';
export { Codec } from './format/compress.js';
export type { Manifest } from './format/types.js';
export type { Progress, ProgressFn } from './engine/progress.js';
