import { PRUNE_GRACE_MS } from '../../defaults.js';
import { type PruneReport, prune } from '../../repo/prune.js';
import { flag, parse, str } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { parseDuration } from '../duration.js';
import { Output, bytes } from '../output.js';

export async function pruneCommand(argv: string[]): Promise<number> {
  const v = parse('prune', argv, { repo: { type: 'string' }, grace: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'force-locked': { type: 'boolean' } });
  const out = new Output(v);
  const graceFlag = str(v, 'grace');
  const graceMs = graceFlag === undefined ? PRUNE_GRACE_MS : parseDuration('grace', graceFlag);
  const { repo, counters } = await openRepository(v, 'prune');
  const p = await prune(repo, { graceMs, dryRun: flag(v, 'dry-run'), forceLocked: flag(v, 'force-locked'), nowMs: Date.now(), onProgress: out.progress });
  out.result({ ...pruneFigures(p, graceMs), ...storeFigures(counters) }, () => pruneLine(p));
  return 0;
}

export function pruneFigures(p: PruneReport, graceMs: number) {
  return {
    objectsDeleted: p.objectsDeleted,
    bytesFreed: p.bytesFreed,
    packsDeleted: p.packsDeleted,
    packs: p.packs,
    packsReferenced: p.packsReferenced,
    packsDeferred: p.packsDeferred,
    bytesDeferred: p.bytesDeferred,
    holdsDeleted: p.holdsDeleted,
    snapshots: p.snapshots,
    graceMs,
    dryRun: p.dryRun,
    locked: p.locked,
    bytesLocked: p.bytesLocked,
  };
}

function pruneLine(p: PruneReport): string {
  return (
    `${p.dryRun ? 'would delete' : 'deleted'} ${p.packsDeleted} of ${p.packs} packs (${bytes(p.bytesFreed)})` +
    (p.holdsDeleted ? ` and ${p.holdsDeleted} holds of removed snapshots` : '') +
    `; ${p.packsDeferred} unreferenced packs (${bytes(p.bytesDeferred)}) kept within the grace period` +
    lockedLine(p)
  );
}

/** "; N objects (size) held by retention lock until DATE" (the latest end), or nothing. */
export function lockedLine(p: PruneReport): string {
  const last = p.locked.at(-1);
  return last ? `; ${p.locked.length} objects (${bytes(p.bytesLocked)}) held by retention lock until ${last.until}` : '';
}
