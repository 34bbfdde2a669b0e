// What killed runs leave behind, for check (reported as warnings, never errors) and prune
// (removed once old enough to be safe): checkpoints of backups, the packs only those reference,
// and temporary objects of interrupted writes (the local store's temporary files).
import { CHECKPOINT } from '../defaults.js';
import { MapWalker } from '../engine/map-walker.js'; // not the index: see ENGINE_INNER_EXCEPTIONS in test/arch
import { errorMessage } from '../errors.js';
import { packKey } from '../format/layout.js';
import { type NodeRef, PackKind } from '../format/types.js';
import type { TemporaryLeftover } from '../store/object-store.js';
import { readCheckpoints } from './checkpoints.js';
import type { Repository } from './repository.js';

export interface CheckpointRoots {
  key: string;
  volume: string;
  timeMs: number;
  /** The finished subtrees the checkpoint names: walk each as a map of that level. */
  roots: Array<{ ref: NodeRef; level: number }>;
}

export interface StaleCheckpoint {
  key: string;
  why: string;
}

/**
 * For prune: checkpoints younger than `maxAgeMs` are roots, as manifests are (what their nodes
 * reach must be kept: a resume will reference it), and the others are stale (older, or
 * unreadable: no backup will resume them), to be deleted. Read them after listing the packs, as
 * manifests are read: a checkpoint written later names only packs uploaded since (kept by the
 * grace period) or packs an earlier checkpoint of its run, read here, already named.
 */
export async function scanCheckpoints(
  repo: Repository,
  nowMs: number,
  maxAgeMs: number = CHECKPOINT.maxAgeMs,
): Promise<{ live: CheckpointRoots[]; stale: StaleCheckpoint[] }> {
  const { found, damaged } = await readCheckpoints(repo);
  const live: CheckpointRoots[] = [];
  const stale: StaleCheckpoint[] = damaged.map((d) => ({ key: d.key, why: d.problem }));
  for (const { key, checkpoint: c } of found) {
    if (nowMs - c.timeMs >= maxAgeMs) stale.push({ key, why: `written ${ago(nowMs - c.timeMs)} ago, longer than a backup resumes` });
    else live.push({ key, volume: c.volume, timeMs: c.timeMs, roots: c.nodes.map((n) => ({ ref: n.ref, level: n.level })) });
  }
  return { live, stale };
}

/**
 * Temporary objects interrupted writes left, older than `olderThanMs` (prune passes its grace:
 * a younger one may belong to a write still running); removed unless `dryRun`. Empty on stores
 * whose writes leave nothing behind.
 */
export async function sweepTemporary(
  repo: Repository,
  opts: { nowMs: number; olderThanMs: number; dryRun: boolean },
): Promise<TemporaryLeftover[]> {
  return (await repo.store.sweepTemporary?.(opts)) ?? [];
}

/**
 * For check: one warning per checkpoint and per temporary object, and the keys of the packs
 * that live checkpoints reach (not orphans: the next backup of their volume reuses them).
 * `exists` says whether a pack key is stored.
 */
export async function leftoverWarnings(
  repo: Repository,
  nowMs: number,
  exists: (packKey: string) => boolean,
): Promise<{ warnings: string[]; packs: Set<string> }> {
  const warnings: string[] = [];
  const packs = new Set<string>();
  const { live, stale } = await scanCheckpoints(repo, nowMs);
  const walker = new MapWalker(repo);
  const seen = new Set<string>();
  for (const c of live) {
    const reached = new Set<string>();
    try {
      for (const r of c.roots) {
        await walker.visit(
          r.ref,
          r.level,
          seen,
          (n) => reached.add(packKey(PackKind.Tree, n.blob.pack)),
          (b) => reached.add(packKey(PackKind.Data, b.pack)),
        );
      }
      const missing = [...reached].filter((k) => !exists(k));
      warnings.push(
        `checkpoint ${c.key}: a backup of volume ${c.volume} was interrupted ${ago(nowMs - c.timeMs)} ago; ` +
          (missing.length ? `it cannot be resumed (pack ${missing[0]} is gone)` : 'the next backup of the volume resumes it') +
          `; prune removes it after ${ago(CHECKPOINT.maxAgeMs)}`,
      );
    } catch (err) {
      warnings.push(`checkpoint ${c.key}: a backup of volume ${c.volume} was interrupted; it cannot be resumed: ${errorMessage(err)}`);
    }
    for (const k of reached) packs.add(k);
  }
  for (const s of stale) warnings.push(`checkpoint ${s.key} is no longer resumed (${s.why}); prune removes it`);
  for (const t of await sweepTemporary(repo, { nowMs, olderThanMs: 0, dryRun: true })) {
    warnings.push(
      `temporary object ${t.key} (${t.size} bytes, ${ago(t.ageMs)} old) was left by an interrupted write; prune removes it once it is old enough`,
    );
  }
  return { warnings, packs };
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
