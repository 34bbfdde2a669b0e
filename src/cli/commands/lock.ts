import { UsageError } from '../../errors.js';
import { renewImmutability } from '../../repo/immutability-extend.js';
import { flag, parse } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { holdLease } from '../leases.js';
import { Output } from '../output.js';

/** `lock --extend` (the command keeps its name): renews the immutability of everything the remaining snapshots need. */
export async function lockCommand(argv: string[]): Promise<number> {
  const v = parse('lock', argv, { repo: { type: 'string' }, extend: { type: 'boolean' }, 'dry-run': { type: 'boolean' } });
  if (!flag(v, 'extend')) throw new UsageError('lock: give --extend (renew the immutability of every object the remaining snapshots need)');
  const out = new Output(v);
  const { repo, counters } = await openRepository(v, 'lock');
  await holdLease(repo, flag(v, 'dry-run') ? null : { operation: 'lock', kind: 'shared' });
  const r = await renewImmutability(repo, { nowMs: Date.now(), dryRun: flag(v, 'dry-run') });
  out.result(
    { ...r, ...storeFigures(counters) },
    () =>
      `${r.dryRun ? 'would extend' : 'extended'} the immutability of ${r.extended} of ${r.objects} objects to ${r.until}` +
      (r.alreadyLocked ? `; ${r.alreadyLocked} already immutable until then or later` : ''),
  );
  return 0;
}
