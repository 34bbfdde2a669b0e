// prune's repacking step: choose the mostly-dead packs, rewrite them, and bring the forwarding
// records up to date (one new record with every move still needed, then the old ones go).
import type { ProgressFn } from '../engine/index.js';
import { parsePackKey } from '../format/layout.js';
import { DELETE_WORKERS } from '../defaults.js';
import { ImmutableObjectError, deleteAll } from '../store/object-store.js';
import { writeForwarding } from './forward-records.js';
import type { LiveBlobs } from './live-blobs.js';
import { type RepackCandidate, compactMoves, repack, repackCandidates } from './repack.js';
import type { Repository } from './repository.js';

export interface RepackStepInput {
  /** Every pack listed, by id hex. */
  present: ReadonlyMap<string, { key: string; size: number }>;
  /** Forwarded packs some reference went through during the mark. */
  forwardHits: ReadonlySet<string>;
  /** The packs to rewrite, as prune's plan chose them. */
  candidates: readonly RepackCandidate[];
  live: LiveBlobs;
  nowMs: number;
  onProgress?: ProgressFn;
}

export interface RepackStepResult {
  packsWritten: number;
  bytesWritten: number;
  blobsMoved: number;
}

/** Referenced packs whose live share is below `below`: what prune's plan may choose to rewrite. */
export function repackChoices(
  present: ReadonlyMap<string, { key: string; size: number }>,
  referenced: ReadonlySet<string>,
  live: LiveBlobs,
  below: number,
): RepackCandidate[] {
  const packs = [];
  for (const hex of referenced) {
    const obj = present.get(hex);
    const parsed = obj && parsePackKey(obj.key);
    if (obj && parsed) packs.push({ key: obj.key, pack: parsed.pack, kind: parsed.kind, size: obj.size });
  }
  return repackCandidates(packs, live, below);
}

/** Rewrites the chosen packs and brings the forwarding records up to date (not in a dry run). */
export async function repackStep(repo: Repository, input: RepackStepInput): Promise<RepackStepResult> {
  const candidates = input.candidates;
  const result: RepackStepResult = { packsWritten: 0, bytesWritten: 0, blobsMoved: 0 };
  const fwd = await repo.forwardingRecords();
  if (candidates.length) {
    const done = await repack(repo, candidates, input.live, (n) =>
      input.onProgress?.({ phase: 'repack', bytesDone: n, bytesTotal: candidates.length, bytesUploaded: 0, objects: n }),
    );
    for (const m of done.moves) fwd.table.add(m);
    Object.assign(result, { packsWritten: done.packsWritten, bytesWritten: done.bytesWritten, blobsMoved: done.blobsMoved });
  }
  // Moves stay while a snapshot still names the old place, or while the old pack exists (a
  // reader that listed the records before this run may still be about to read it).
  const keep = (hex: string) => input.forwardHits.has(hex) || input.present.has(hex);
  let droppable = false;
  for (const [hex] of fwd.table.packs()) if (!keep(hex)) droppable = true;
  if (candidates.length === 0 && !droppable && fwd.keys.length <= 1) return result;
  await writeForwarding(repo, compactMoves(fwd.table, keep), input.nowMs);
  try {
    await deleteAll(repo.store, fwd.keys, DELETE_WORKERS);
  } catch (err) {
    // Immutable records stay until their immutability ends; newer records win where they differ.
    if (!(err instanceof ImmutableObjectError)) throw err;
  }
  return result;
}
