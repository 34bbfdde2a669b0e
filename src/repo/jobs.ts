// The library's operations on an open repository: what the CLI commands call, and what a
// program embedding snaptier would call. Each resolves names, runs the engine and commits.
import { backup as runBackup } from '../engine/backup.js';
import type { DetectMode } from '../engine/change-detect.js';
import { diffSnapshots, type ByteRangeOut } from '../engine/diff.js';
import type { ProgressFn } from '../engine/progress.js';
import { restore as runRestore } from '../engine/restore.js';
import { SourceFile } from '../engine/source.js';
import { RestoreTarget } from '../engine/target.js';
import { UsageError } from '../errors.js';
import type { Manifest } from '../format/types.js';
import { checkVolumeName, commitManifest, describe, listSnapshots, resolveSnapshot } from './catalog.js';
import { startBackupRun } from './checkpoints.js';
import type { Repository } from './repository.js';

export interface BackupRequest {
  volume: string;
  source: string;
  previousSource?: string;
  changedExtents?: Array<{ offset: number; length: number }>;
  /** Where the change list came from, for errors (the CLI passes the file name). */
  changedExtentsFrom?: string;
  labels?: Record<string, string>;
  time?: Date;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface BackupReport {
  manifest: Manifest;
  bytesRead: number;
  bytesChanged: number;
  bytesUploaded: number;
  objectsUploaded: number;
  durationMs: number;
  /** An interrupted run of this backup was picked up: `bytesReused` were not uploaded again. */
  resumed: boolean;
  bytesReused: number;
  /** Checkpoints this run wrote (each makes it resumable from there). */
  checkpoints: number;
  /** Checkpoints of interrupted runs that could not be used, and why. */
  resumeProblems: string[];
}

export async function backupVolume(repo: Repository, req: BackupRequest): Promise<BackupReport> {
  const started = Date.now();
  checkVolumeName(req.volume);
  if (req.previousSource && req.changedExtents) throw new UsageError('--previous-source and --changed-extents exclude each other');
  const existing = await listSnapshots(repo, req.volume);
  const parent = existing.length ? existing[existing.length - 1]!.manifest : null;
  const source = await SourceFile.open(req.source);
  let previous: SourceFile | null = null;
  try {
    // Checked on every backup, the first one too (which reads everything anyway): a list that
    // does not fit the source is a mistake in the caller's tooling, better seen early.
    if (req.changedExtents) checkExtents(req.changedExtents, source.size, req.changedExtentsFrom ?? 'the change list');
    let mode: DetectMode = { kind: 'fingerprints' };
    if (!parent) mode = { kind: 'full' };
    else if (req.previousSource) {
      previous = await SourceFile.open(req.previousSource, 'previous source');
      mode = { kind: 'previous-source', previous };
    } else if (req.changedExtents) mode = { kind: 'changed-extents', extents: req.changedExtents };
    // Checkpoints let a killed run be resumed; this run resumes what earlier ones left.
    const run = await startBackupRun(repo, { volume: req.volume, parent, size: source.size, nowMs: started });
    const out = await runBackup(repo, {
      volume: req.volume,
      source,
      parent,
      mode,
      labels: req.labels ?? {},
      timeMs: (req.time ?? new Date()).getTime(),
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
      resume: run.resume,
      checkpoint: run.checkpoint,
    });
    // The manifest is the commit point, written create-once after every pack is stored.
    const manifestBytes = await commitManifest(repo, out.manifest);
    await run.committed();
    return {
      manifest: out.manifest,
      bytesRead: out.bytesRead,
      bytesChanged: out.bytesChanged,
      bytesUploaded: out.bytesUploaded + run.uploaded.bytes + manifestBytes,
      objectsUploaded: out.objectsUploaded + run.uploaded.objects + 1,
      durationMs: Date.now() - started,
      resumed: out.segmentsReused > 0,
      bytesReused: out.bytesReused,
      checkpoints: out.checkpoints,
      resumeProblems: out.resumeProblems,
    };
  } finally {
    await source.close();
    await previous?.close();
  }
}

function checkExtents(extents: ReadonlyArray<{ offset: number; length: number }>, size: number, from: string): void {
  extents.forEach((e, i) => {
    if (e.offset + e.length > size) {
      throw new UsageError(`${from}: extent ${i} (offset ${e.offset}, length ${e.length}) ends past the end of the source (${size} bytes)`);
    }
  });
}

export interface RestoreRequest {
  volume: string;
  snapshot: string;
  target: string;
  offset?: number;
  length?: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export async function restoreSnapshot(
  repo: Repository,
  req: RestoreRequest,
): Promise<{ manifest: Manifest; bytesWritten: number; bytesData: number; durationMs: number }> {
  const started = Date.now();
  checkVolumeName(req.volume);
  const { manifest } = await resolveSnapshot(repo, req.volume, req.snapshot);
  const offset = req.offset ?? 0;
  const length = req.length ?? manifest.size - offset;
  if (offset > manifest.size || offset + length > manifest.size || length < 0) {
    throw new UsageError(`range ${offset}+${length} lies outside ${describe(manifest)} of ${manifest.size} bytes`);
  }
  const target = await RestoreTarget.open(req.target, length);
  try {
    const out = await runRestore(repo, {
      manifest,
      name: describe(manifest),
      target,
      offset,
      length,
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
    return { manifest, ...out, durationMs: Date.now() - started };
  } finally {
    await target.close();
  }
}

export async function diffVolume(repo: Repository, volume: string, from: string, to: string): Promise<{ from: Manifest; to: Manifest; changed: ByteRangeOut[] }> {
  checkVolumeName(volume);
  const a = (await resolveSnapshot(repo, volume, from)).manifest;
  const b = (await resolveSnapshot(repo, volume, to)).manifest;
  return { from: a, to: b, changed: await diffSnapshots(repo, a, b) };
}
