// Checkpoints of running backups (checkpoints/<volume key>/<id>, sealed): what a backup has made
// durable so far, so that a backup killed at any moment is resumed by the next run, which
// uploads only what was not done. A run writes each checkpoint under a new id and then deletes
// its previous one; it deletes them all once its manifest is written. Prune keeps what young
// checkpoints reference and deletes old ones (leftovers.ts).
import { type Clock, systemClock } from '../clock.js';
import { randomBytes } from 'node:crypto';
import { CHECKPOINT } from '../defaults.js';
import type { CheckpointOptions, Frontier, ResumePoint } from '../engine/index.js';
import { rootLevel } from '../format/geometry.js';
import { asIntegrity } from '../format/integrity.js';
import { IntegrityError, UnsupportedVersionError, errorMessage } from '../errors.js';
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from '../format/checkpoint-codec.js';
import { CHECKPOINT_PREFIX, checkpointKey, parseCheckpointKey } from '../format/layout.js';
import { BlobKind } from '../format/seal.js';
import type { Manifest } from '../format/types.js';
import { deleteAll, isNotFound } from '../store/object-store.js';
import type { Repository } from './repository.js';
import { getSealed, putSealed } from './sealed-object.js';
import { MAGICS } from '../format/sealed-object.js';

const MAGIC = MAGICS.checkpoint;

export type { Checkpoint };

export interface StoredCheckpoint {
  key: string;
  checkpoint: Checkpoint;
}

export interface CheckpointScan {
  found: StoredCheckpoint[];
  /** Checkpoints that cannot be read, with why: never resumed, deleted by prune. */
  damaged: Array<{ key: string; problem: string }>;
}

/** Every checkpoint (of one volume, if given), read and verified: one LIST and a GET each. */
export async function readCheckpoints(repo: Repository, volume?: string): Promise<CheckpointScan> {
  const prefix = volume === undefined ? CHECKPOINT_PREFIX : `${CHECKPOINT_PREFIX}${repo.volumeKey(volume)}/`;
  const found: StoredCheckpoint[] = [];
  const damaged: CheckpointScan['damaged'] = [];
  for await (const o of repo.store.list(prefix)) {
    const parsed = parseCheckpointKey(o.key);
    if (!parsed) continue;
    try {
      found.push({ key: o.key, checkpoint: await readCheckpoint(repo, o.key, parsed) });
    } catch (err) {
      // Deleted since the listing: its run went on to a newer checkpoint or committed.
      if (err instanceof IntegrityError && isNotFound(err.cause)) continue;
      // Damaged, or written by a newer snaptier: never resumed here. Anything else (the store
      // failing) is not a fact about the checkpoint.
      if (!(err instanceof IntegrityError || err instanceof UnsupportedVersionError)) throw err;
      damaged.push({ key: o.key, problem: errorMessage(err) });
    }
  }
  return { found, damaged };
}

async function readCheckpoint(repo: Repository, key: string, parsed: { volumeKey: string; id: string }): Promise<Checkpoint> {
  const id = Buffer.from(parsed.id, 'hex');
  const plain = await getSealed(repo, key, MAGIC, BlobKind.Checkpoint, id, CHECKPOINT.objectBytes, `checkpoint ${key}`);
  let c: Checkpoint;
  try {
    c = decodeCheckpoint(plain, CHECKPOINT.objectBytes, repo.geometry.fanout);
  } catch (err) {
    throw asIntegrity(err, `checkpoint ${key}`);
  }
  // A checkpoint copied under another name must not be resumed for that volume.
  if (!c.id.equals(id) || repo.volumeKey(c.volume) !== parsed.volumeKey)
    throw new IntegrityError(`checkpoint ${key} is damaged: it names another checkpoint`);
  return c;
}

export interface BackupRun {
  /** What earlier runs finished, best first, for the engine's `resume`. */
  resume: ResumePoint[];
  /** The engine's `checkpoint` option: writes this run's checkpoints. */
  checkpoint: CheckpointOptions;
  /** After the manifest is written: deletes this run's checkpoints and those of the runs it resumed. */
  committed(): Promise<void>;
  /** What writing this run's checkpoints cost so far. */
  uploaded: { bytes: number; objects: number };
}

/**
 * Starts checkpointing one backup run of `volume` onto `parent` from a source of `size` bytes,
 * resuming from the checkpoints earlier runs of the volume left, when they are young enough
 * and of a source of the same size (the resume compares every segment it reuses, so a source
 * that changed since is still backed up correctly, it only reuses less).
 */
export async function startBackupRun(
  repo: Repository,
  req: { volume: string; parent: Manifest | null; size: number; nowMs: number; clock?: Clock },
): Promise<BackupRun> {
  const clock = req.clock ?? systemClock;
  const { found } = await readCheckpoints(repo, req.volume);
  const level = rootLevel(req.size, repo.geometry);
  const fits = (c: Checkpoint) =>
    c.size === req.size && c.rootLevel === level && c.done > 0 && req.nowMs - c.timeMs < CHECKPOINT.resumeAgeMs;
  const usable = found.filter((s) => fits(s.checkpoint)).sort((a, b) => b.checkpoint.timeMs - a.checkpoint.timeMs);
  const run = randomBytes(16);
  const volumeKey = repo.volumeKey(req.volume);
  let own: string[] = [];
  const uploaded = { bytes: 0, objects: 0 };
  // Earlier checkpoints a checkpoint of this run covers are deleted with its previous one.
  let earlier = [...usable];

  const save = async (f: Frontier): Promise<void> => {
    const id = randomBytes(16);
    const key = checkpointKey(volumeKey, id);
    const cp: Checkpoint = {
      id,
      run,
      volume: req.volume,
      parent: req.parent?.id ?? null,
      size: req.size,
      rootLevel: level,
      done: f.done,
      nodes: f.nodes,
      startedMs: req.nowMs,
      timeMs: clock.now(),
    };
    uploaded.bytes += await putSealed(repo, key, MAGIC, BlobKind.Checkpoint, id, encodeCheckpoint(cp));
    uploaded.objects++;
    const covered = earlier.filter((s) => s.checkpoint.done <= f.done);
    earlier = earlier.filter((s) => s.checkpoint.done > f.done);
    const old = [...own, ...covered.map((s) => s.key)];
    own = [key];
    await deleteAll(repo.store, old);
  };

  return {
    resume: usable.map((s) => ({ name: `checkpoint ${s.key}`, done: s.checkpoint.done, nodes: s.checkpoint.nodes })),
    checkpoint: { save },
    uploaded,
    // Every checkpoint of the volume seen at the start goes: a commit makes them useless (a
    // run still going on writes its next one under a new key anyway).
    committed: () => deleteAll(repo.store, [...own, ...found.map((s) => s.key)]).catch(() => {}),
  };
}
