import { PRUNE_GRACE_MS } from '../../defaults.js';
import { forget } from '../../repo/forget.js';
import { prune } from '../../repo/prune.js';
import { RULES, type KeepPolicy } from '../../repo/keep-policy.js';
import { flag, int, parse, str } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { parseDuration } from '../duration.js';
import { holdLease } from '../leases.js';
import { Output, bytes, plural } from '../output.js';
import { immutableLine, pruneFigures, repackBelow } from './prune.js';

export async function forgetCommand(argv: string[]): Promise<number> {
  const v = parse('forget', argv, {
    repo: { type: 'string' },
    volume: { type: 'string' },
    ...Object.fromEntries(RULES.map((r) => [`keep-${r}`, { type: 'string' as const }])),
    prune: { type: 'boolean' },
    grace: { type: 'string' },
    'repack-below': { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const out = new Output(v);
  const policy: KeepPolicy = {};
  for (const r of RULES) {
    const n = int(v, `keep-${r}`);
    if (n !== undefined) policy[r] = n;
  }
  const dryRun = flag(v, 'dry-run');
  const graceFlag = str(v, 'grace');
  const graceMs = graceFlag === undefined ? PRUNE_GRACE_MS : parseDuration('grace', graceFlag);
  const volume = str(v, 'volume');
  const { repo, counters } = await openRepository(v, 'forget');
  await holdLease(repo, dryRun ? null : { operation: 'forget', kind: flag(v, 'prune') ? 'exclusive' : 'shared' });
  const nowMs = Date.now();
  const r = await forget(repo, { ...(volume !== undefined ? { volume } : {}), policy, dryRun, nowMs });
  out.log(`forget: keeping ${plural(r.keep.length, 'snapshot')}, removing ${r.remove.length}`, 'forget', { keep: r.keep.length, remove: r.remove.length });
  const p = flag(v, 'prune') ? await prune(repo, { graceMs, dryRun, nowMs, repackBelow: repackBelow(v), onProgress: out.progress, ...(dryRun ? { assumeForgotten: r.removed } : {}) }) : null;
  out.result(
    {
      keep: r.keep,
      remove: r.remove,
      held: r.held,
      locked: r.locked,
      volumes: r.volumes,
      dryRun,
      objectsDeleted: r.objectsDeleted,
      ...(p ? { prune: pruneFigures(p, graceMs) } : {}),
      ...storeFigures(counters),
    },
    () => {
      const lines: string[] = [];
      for (const d of r.volumes) {
        lines.push(`volume ${d.volume}: keep ${d.keep.length}, remove ${d.remove.length}${dryRun ? ' (dry run)' : ''}`);
        for (const k of d.keep) lines.push(`  keep   ${k.id.slice(0, 8)}  ${k.time}  ${k.reasons.join(', ')}`);
        for (const x of d.remove) lines.push(`  remove ${x.id.slice(0, 8)}  ${x.time}`);
      }
      for (const h of r.held) {
        lines.push(`held: ${h.id.slice(0, 8)} of ${h.volume} until ${h.until}${h.reason ? ` (${h.reason})` : ''}${h.keptByHoldOnly ? ', kept only by the hold' : ''}`);
      }
      for (const l of r.locked) lines.push(`immutable: ${l.id.slice(0, 8)} of ${l.volume} until ${l.until}`);
      if (p) lines.push(`prune: ${p.packsDeleted} packs ${dryRun ? 'would be ' : ''}deleted, ${bytes(p.bytesFreed)} freed; ${p.packsDeferred} unreferenced packs within the grace period kept${immutableLine(p)}`);
      return lines.join('\n');
    },
  );
  return 0;
}
