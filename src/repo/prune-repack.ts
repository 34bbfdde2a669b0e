// prune's repacking step: choose the mostly-dead packs, rewrite them, and bring the forwarding
// records up to date (one new record with every move still needed, then the old ones go).
import type { ProgressFn } from '../engine/progress.js';
import { parsePackKey } from '../format/layout.js';
import { DELETE_WORKERS } from '../defaults.js';
import { RetentionLockedError, deleteAll } from '../store/object-store.js';
import { lockedAmong } from './locks-held.js';
import { writeForwarding } from './forward-records.js';
import type { LiveBlobs } from './live-blobs.js';
import { type RepackCandidate, compactMoves, repack, repackCandidates } from './repack.js';
import type { Repository } from './repository.js';

export interface RepackStepInput {
  /** Every pack listed, by id hex. */
  present: ReadonlyMap<string, { key: string; size: number; tier?: string }>;
  /** Packs some snapshot references, by id hex. */
  referenced: ReadonlySet<string>;
  /** Forwarded packs some reference went through during the mark. */
  forwardHits: ReadonlySet<string>;
  live: LiveBlobs;
  below: number;
  dryRun: boolean;
  forceLocked: boolean;
  /** Rewrite packs in an archive tier too (reading them needs a finished rehydration). */
  repackCold: boolean;
  nowMs: number;
  onProgress?: ProgressFn;
}

export interface RepackStepResult {
  /** Packs rewritten (or, in a dry run, that would be): from now on ordinary garbage. */
  repacked: RepackCandidate[];
  /** Live bytes copied out of them. */
  bytesLive: number;
  packsWritten: number;
  bytesWritten: number;
  blobsMoved: number;
}

export async function repackStep(repo: Repository, input: RepackStepInput): Promise<RepackStepResult> {
  const referenced = [];
  for (const hex of input.referenced) {
    const obj = input.present.get(hex);
    const parsed = obj && parsePackKey(obj.key);
    if (obj && parsed) referenced.push({ key: obj.key, pack: parsed.pack, kind: parsed.kind, size: obj.size });
  }
  let candidates = repackCandidates(referenced, input.live, input.below);
  // A pack in an archive tier cannot be read without a thaw of hours, and moving its live part
  // would put it back online: it is left as it is unless asked (--repack-cold).
  if (candidates.length && !input.repackCold) {
    const archive = new Set((repo.store.capabilities.archiveTiers ?? []).map((t) => t.toLowerCase()));
    candidates = candidates.filter((c) => !archive.has((input.present.get(c.pack.toString('hex'))?.tier ?? '').toLowerCase()));
  }
  // A pack under a retention lock cannot go, so copying its live part would only add bytes.
  if (candidates.length && !input.forceLocked) {
    const held = await lockedAmong(repo, candidates.map((c) => c.key), input.nowMs);
    candidates = candidates.filter((c) => !held.has(c.key));
  }
  const bytesLive = candidates.reduce((n, c) => n + c.liveBytes, 0);
  const result: RepackStepResult = { repacked: candidates, bytesLive, packsWritten: 0, bytesWritten: 0, blobsMoved: 0 };
  if (input.dryRun) return result;

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
    // Records under a retention lock stay until it ends; newer records win where they differ.
    if (!(err instanceof RetentionLockedError)) throw err;
  }
  return result;
}
