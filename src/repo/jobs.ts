// The library's operations on an open repository: what the CLI commands call, and what a
// program embedding snaptier would call. Each resolves names, runs the engine and commits.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Clock, systemClock } from '../clock.js';
import { STREAM_WINDOW } from '../defaults.js';
import {
  type BackupHint,
  type ByteRangeOut,
  HINT_MODES,
  type HintMode,
  type HintReport,
  type ProgressFn,
  RestoreTarget,
  SourceFile,
  backup as runBackup,
  diffSnapshots,
  isStream,
  openVolumeSource,
  restore as runRestore,
} from '../engine/index.js';
import { UsageError } from '../errors.js';
import type { Manifest } from '../format/types.js';
import { checkVolumeName, commitManifest, describe, listSnapshots, resolveBase, resolveSnapshot } from './catalog.js';
import { startBackupRun } from './checkpoints.js';
import type { Repository } from './repository.js';

export interface BackupRequest {
  volume: string;
  /** A path (image file, block device; a pipe or character device is read as a stream), `-` for stdin, or a stream. */
  source: string | Readable;
  previousSource?: string;
  changedExtents?: Array<{ offset: number; length: number }>;
  /** Where the change list came from, for errors (the CLI passes the file name). */
  changedExtentsFrom?: string;
  /**
   * The snapshot the hint is relative to, and the new snapshot's parent: an id, a prefix, or a
   * source id recorded earlier. Default: the volume's latest snapshot.
   */
  base?: string;
  /** The storage layer's name of this snapshot, recorded in the manifest. */
  sourceId?: string;
  /** How much of what the hint calls unchanged is checked against the base (default `sample`). */
  verifyHints?: HintMode;
  /** Store an empty source as a 0-byte snapshot instead of refusing it. */
  allowEmpty?: boolean;
  /**
   * Store a changed segment whole once the base's map of it references this many chunks, so
   * long chains restore as fast as a full backup; 0 never. Default REWRITE_AT_CHUNKS (16).
   */
  rewriteAt?: number;
  labels?: Record<string, string>;
  time?: Date;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** Warnings for the user (a hint found wrong), as they happen. */
  onWarning?: (message: string) => void;
  /** Uniform in [0, 1): which segments a hint sample reads (tests pass a seeded one). */
  random?: () => number;
  /** The backup's time when `time` is not given, and its checkpoints' times; default the system clock. */
  clock?: Clock;
}

export type { HintReport };

export interface BackupReport {
  manifest: Manifest;
  /** The snapshot the backup was relative to (its parent), null for a first backup. */
  base: Manifest | null;
  hints: HintReport | null;
  bytesRead: number;
  /** Of bytesRead, holes of a sparse file found by its hole map and not read. */
  bytesHoles: number;
  bytesChanged: number;
  bytesUploaded: number;
  objectsUploaded: number;
  durationMs: number;
  /** An interrupted run of this backup was picked up: `bytesReused` were not uploaded again. */
  resumed: boolean;
  bytesReused: number;
  /** Changed segments stored whole because the base's map of them was fragmented (`rewriteAt`). */
  segmentsRewritten: number;
  /** Checkpoints this run wrote (each makes it resumable from there). */
  checkpoints: number;
  /** Checkpoints of interrupted runs that could not be used, and why. */
  resumeProblems: string[];
}

export async function backupVolume(repo: Repository, req: BackupRequest): Promise<BackupReport> {
  const clock = req.clock ?? systemClock;
  const started = clock.now();
  // Every check of the request is made here, once, before anything is read or written: the CLI
  // and the daemon pass their input through, and the engine takes it as checked.
  checkVolumeName(req.volume);
  if (req.previousSource && req.changedExtents) throw new UsageError('--previous-source and --changed-extents exclude each other');
  if (req.base === '') throw new UsageError('--base is empty');
  const verify = req.verifyHints ?? 'sample';
  if (!HINT_MODES.includes(verify)) throw new UsageError(`--verify-hints takes sample, full or off, not ${String(verify)}`);
  const extentsFrom = req.changedExtentsFrom ?? 'the change list';
  if (req.rewriteAt !== undefined && !(Number.isSafeInteger(req.rewriteAt) && req.rewriteAt >= 0)) {
    throw new UsageError(`--rewrite-at takes a whole number of chunks (0 to turn it off), not ${String(req.rewriteAt)}`);
  }
  // The base first: a wrong one must stop the backup before anything is read or written.
  const parent = req.base !== undefined ? (await resolveBase(repo, req.volume, req.base)).manifest : await latestOf(repo, req.volume);
  const source = await openVolumeSource(req.source);
  let previous: SourceFile | null = null;
  try {
    if (isStream(source) && req.previousSource) {
      throw new UsageError(`--previous-source needs a source read by position; ${source.path} is a stream (use --changed-extents, or no hint)`);
    }
    if (!isStream(source) && source.size === 0 && !req.allowEmpty) throw emptySource(source.path);
    // Checked on every backup, the first one too (which reads everything anyway): a list that
    // does not fit the source is a mistake in the caller's tooling, better seen early.
    if (req.changedExtents && !isStream(source)) checkExtents(req.changedExtents, source.size, extentsFrom);
    let hint: BackupHint | null = null;
    if (req.previousSource && parent) {
      previous = await SourceFile.open(req.previousSource, 'previous source');
      if (previous.size !== parent.size) {
        throw new UsageError(
          `previous source ${previous.path} has ${previous.size} bytes but ${describe(parent)} has ${parent.size}: it is not that snapshot`,
        );
      }
      hint = { kind: 'previous-source', previous };
    } else if (req.changedExtents) {
      hint = { kind: 'changed-extents', extents: req.changedExtents };
    }
    // Checkpoints let a killed run be resumed; this run resumes what earlier ones left. A stream
    // cannot be resumed (its size is unknown, and it has to be read again from the start anyway).
    const run = isStream(source) ? null : await startBackupRun(repo, { volume: req.volume, parent, size: source.size, nowMs: started, clock });
    const out = await runBackup(repo, {
      volume: req.volume,
      source,
      parent,
      ...(hint && parent
        ? {
            hints: {
              hint,
              verify,
              hintName: req.previousSource ? `previous source ${req.previousSource}` : (req.changedExtentsFrom ?? 'change list'),
              parentName: describe(parent),
              ...(req.random ? { random: req.random } : {}),
            },
          }
        : {}),
      labels: req.labels ?? {},
      sourceId: req.sourceId ?? '',
      timeMs: req.time ? req.time.getTime() : started,
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
      ...(req.onWarning ? { onWarning: req.onWarning } : {}),
      ...(run ? { resume: run.resume, checkpoint: run.checkpoint } : {}),
      ...(req.rewriteAt !== undefined ? { rewriteAt: req.rewriteAt } : {}),
    });
    if (out.manifest.size === 0 && !req.allowEmpty) throw emptySource(source.path);
    // A stream's size is known only now: its change list is checked against it here.
    if (req.changedExtents && isStream(source)) checkExtents(req.changedExtents, out.manifest.size, extentsFrom);
    for (const w of out.warnings) req.onWarning?.(w);
    // The manifest is the commit point, written create-once after every pack is stored.
    const manifestBytes = await commitManifest(repo, out.manifest);
    await run?.committed();
    return {
      manifest: out.manifest,
      base: parent,
      hints: out.hints,
      bytesRead: out.bytesRead,
      bytesHoles: out.bytesHoles,
      bytesChanged: out.bytesChanged,
      bytesUploaded: out.bytesUploaded + (run?.uploaded.bytes ?? 0) + manifestBytes,
      objectsUploaded: out.objectsUploaded + (run?.uploaded.objects ?? 0) + 1,
      durationMs: clock.now() - started,
      resumed: out.segmentsReused > 0,
      bytesReused: out.bytesReused,
      segmentsRewritten: out.segmentsRewritten,
      checkpoints: out.checkpoints,
      resumeProblems: out.resumeProblems,
    };
  } finally {
    await source.close();
    await previous?.close();
  }
}

async function latestOf(repo: Repository, volume: string): Promise<Manifest | null> {
  const existing = await listSnapshots(repo, volume);
  return existing.length ? existing[existing.length - 1]!.manifest : null;
}

function emptySource(path: string): UsageError {
  return new UsageError(`source ${path} is empty (0 bytes): nothing was backed up (--allow-empty stores an empty snapshot)`);
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
  /**
   * A file (created, or replaced only with `overwrite`), a block device, `-` for standard output,
   * or a stream; a pipe or character device named by path is written as a stream, in order.
   */
  target: string | Writable;
  offset?: number;
  length?: number;
  /** Replace an existing non-empty regular file. */
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface RestoreReport {
  manifest: Manifest;
  bytesWritten: number;
  bytesData: number;
  durationMs: number;
}

export async function restoreSnapshot(repo: Repository, req: RestoreRequest): Promise<RestoreReport> {
  const started = Date.now();
  checkVolumeName(req.volume);
  const { manifest } = await resolveSnapshot(repo, req.volume, req.snapshot);
  const offset = req.offset ?? 0;
  const length = req.length ?? manifest.size - offset;
  if (offset > manifest.size || offset + length > manifest.size || length < 0) {
    throw new UsageError(`range ${offset}+${length} lies outside ${describe(manifest)} of ${manifest.size} bytes`);
  }
  const kind = await targetKind(req.target, req.overwrite ?? false);
  const run = (target: RestoreTarget, from: number, len: number, onProgress?: ProgressFn) =>
    runRestore(repo, {
      manifest,
      name: describe(manifest),
      target,
      offset: from,
      length: len,
      ...(req.signal ? { signal: req.signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  if (kind.stream) {
    const out = await restoreToStream(kind.stream, offset, length, run, req.onProgress);
    return { manifest, ...out, durationMs: Date.now() - started };
  }
  const path = req.target as string;
  const target = await RestoreTarget.open(path, length);
  try {
    const out = await run(target, offset, length, req.onProgress);
    await target.close();
    return { manifest, ...out, durationMs: Date.now() - started };
  } catch (err) {
    await target.close().catch(() => {});
    // A file that holds part of a volume must not look like the volume: it is renamed.
    if (!target.isBlockDevice) {
      const partial = `${path}.partial`;
      const moved = await rename(path, partial).then(
        () => true,
        () => false,
      );
      if (moved && err instanceof Error) err.message += `; the partly written target was renamed ${partial}`;
    }
    throw err;
  }
}

/** How a target is written: a stream (in order) or by position; refuses to replace a file unasked. */
async function targetKind(target: string | Writable, overwrite: boolean): Promise<{ stream: Writable | null }> {
  if (typeof target !== 'string') return { stream: target };
  if (target === '-') return { stream: process.stdout };
  const st = await stat(target).catch(() => null);
  if (st && (st.isFIFO() || st.isCharacterDevice() || st.isSocket())) return { stream: createWriteStream(target, { flags: 'a' }) };
  if (st?.isFile() && st.size > 0 && !overwrite) {
    throw new UsageError(`target ${target} exists and holds ${st.size} bytes: not replaced (--overwrite replaces it)`);
  }
  return { stream: null };
}

/**
 * Writes a range to a stream in order, through a scratch file of at most STREAM_WINDOW bytes:
 * each window is restored (in parallel, by position, proven) into the scratch file, then copied
 * to the stream with its back-pressure.
 */
async function restoreToStream(
  stream: Writable,
  offset: number,
  length: number,
  run: (t: RestoreTarget, from: number, len: number, p?: ProgressFn) => Promise<{ bytesWritten: number; bytesData: number }>,
  onProgress?: ProgressFn,
): Promise<{ bytesWritten: number; bytesData: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'snaptier-restore-'));
  const scratch = join(dir, 'window');
  let bytesWritten = 0;
  let bytesData = 0;
  try {
    for (let from = offset; from < offset + length; from += STREAM_WINDOW) {
      const len = Math.min(STREAM_WINDOW, offset + length - from);
      const target = await RestoreTarget.open(scratch, len);
      let out: { bytesWritten: number; bytesData: number };
      try {
        const done = bytesWritten;
        out = await run(target, from, len, onProgress ? (p) => onProgress({ ...p, bytesDone: done + p.bytesDone, bytesTotal: length }) : undefined);
      } finally {
        await target.close();
      }
      await pipeline(createReadStream(scratch, { start: 0, end: len - 1, highWaterMark: 1 << 20 }), stream, { end: false });
      bytesWritten += len;
      bytesData += out.bytesData;
    }
    if (stream !== process.stdout) await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return { bytesWritten, bytesData };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function diffVolume(repo: Repository, volume: string, from: string, to: string): Promise<{ from: Manifest; to: Manifest; changed: ByteRangeOut[] }> {
  checkVolumeName(volume);
  const a = (await resolveSnapshot(repo, volume, from)).manifest;
  const b = (await resolveSnapshot(repo, volume, to)).manifest;
  return { from: a, to: b, changed: await diffSnapshots(repo, a, b) };
}
