import { PRUNE_GRACE_MS, REPACK_BELOW } from '../../defaults.js';
import { UsageError } from '../../errors.js';
import { type PruneReport, prune } from '../../repo/prune.js';
import { type Values, flag, parse, str } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { parseDuration } from '../duration.js';
import { holdLease } from '../leases.js';
import { Output, bytes, plural } from '../output.js';

export async function pruneCommand(argv: string[]): Promise<number> {
  const v = parse('prune', argv, { repo: { type: 'string' }, grace: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'force-locked': { type: 'boolean' }, 'repack-below': { type: 'string' }, 'repack-cold': { type: 'boolean' } });
  const out = new Output(v);
  const graceFlag = str(v, 'grace');
  const graceMs = graceFlag === undefined ? PRUNE_GRACE_MS : parseDuration('grace', graceFlag);
  const { repo, counters } = await openRepository(v, 'prune');
  await holdLease(repo, flag(v, 'dry-run') ? null : { operation: 'prune', kind: 'exclusive' });
  out.log(`pruning${flag(v, 'dry-run') ? ' (dry run)' : ''}`, 'prune', { graceMs, dryRun: flag(v, 'dry-run') });
  const p = await prune(repo, { graceMs, dryRun: flag(v, 'dry-run'), forceImmutable: flag(v, 'force-locked'), repackBelow: repackBelow(v), repackCold: flag(v, 'repack-cold'), nowMs: Date.now(), onProgress: out.progress });
  out.log(`prune done: ${plural(p.objectsDeleted, 'object')} deleted`, 'pruned', { objectsDeleted: p.objectsDeleted, bytesFreed: p.bytesFreed });
  out.result({ ...pruneFigures(p, graceMs), ...storeFigures(counters) }, () => pruneLine(p));
  return 0;
}

/** `--repack-below PCT`: packs with less than PCT% live bytes are rewritten (0: never). */
export function repackBelow(v: Values): number {
  const raw = str(v, 'repack-below');
  if (raw === undefined) return REPACK_BELOW;
  const pct = Number(raw.replace(/%$/, ''));
  if (!/^\d+(\.\d+)?%?$/.test(raw) || !(pct >= 0 && pct <= 100)) throw new UsageError(`--repack-below ${raw}: expected a percentage from 0 to 100`);
  return pct / 100;
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
    checkpointsDeleted: p.checkpointsDeleted,
    temporaryDeleted: p.temporaryDeleted,
    locksDeleted: p.locksDeleted,
    snapshots: p.snapshots,
    graceMs,
    dryRun: p.dryRun,
    locked: p.locked,
    bytesLocked: p.bytesLocked,
    packsRepacked: p.packsRepacked,
    bytesRepacked: p.bytesRepacked,
    packsWritten: p.packsWritten,
    bytesWritten: p.bytesWritten,
  };
}

function pruneLine(p: PruneReport): string {
  return (
    `${p.dryRun ? 'would delete' : 'deleted'} ${p.packsDeleted} of ${plural(p.packs, 'pack')} (${bytes(p.bytesFreed)})` +
    (p.holdsDeleted ? ` and ${p.holdsDeleted} holds of removed snapshots` : '') +
    (p.packsRepacked ? `; ${p.dryRun ? 'would repack' : 'repacked'} ${p.packsRepacked} mostly-dead packs (${bytes(p.bytesRepacked)} live${p.dryRun ? '' : ` into ${p.packsWritten} new packs`})` : '') +
    `; ${p.packsDeferred} unreferenced packs (${bytes(p.bytesDeferred)}) kept within the grace period` +
    immutableLine(p)
  );
}

/** "; N objects (size) immutable until DATE" (the latest end), or nothing. */
export function immutableLine(p: PruneReport): string {
  const last = p.locked.at(-1);
  return last ? `; ${p.locked.length} objects (${bytes(p.bytesLocked)}) immutable until ${last.until}` : '';
}
