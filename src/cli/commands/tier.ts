// snaptier tier: moves data packs older than N days to a storage class / access tier (see
// src/repo/tier.ts for what moves and what never does). Takes a shared lease: it runs beside
// backups and restores, not beside a prune, which could be repacking the same packs.
import { UsageError } from '../../errors.js';
import { tierDataPacks } from '../../repo/tier.js';
import { flag, need, parse } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { holdLease } from '../leases.js';
import { Output, bytes } from '../output.js';

export async function tierCommand(argv: string[]): Promise<number> {
  const v = parse('tier', argv, {
    repo: { type: 'string' },
    'older-than': { type: 'string' },
    class: { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const out = new Output(v);
  const raw = need(v, 'older-than', 'tier');
  const days = Number(raw.replace(/d$/, ''));
  if (!/^\d+(\.\d+)?d?$/.test(raw) || !Number.isFinite(days)) throw new UsageError(`tier: --older-than ${raw}: expected a number of days (e.g. 30)`);
  const tier = need(v, 'class', 'tier');
  const dryRun = flag(v, 'dry-run');
  const { repo, counters } = await openRepository(v, 'tier');
  const signal = await holdLease(repo, dryRun ? null : { operation: 'tier', kind: 'shared' });
  const r = await tierDataPacks(repo, { olderThanDays: days, tier, dryRun, signal });
  out.result(
    {
      class: r.tier,
      olderThanDays: days,
      dryRun,
      packs: r.move.length,
      bytes: r.bytes,
      moved: r.moved,
      vanished: r.vanished,
      alreadyThere: r.alreadyThere,
      tooYoung: r.tooYoung,
      keys: r.move.map((p) => p.key),
      ...storeFigures(counters),
    },
    () =>
      `${dryRun ? 'would move' : 'moved'} ${dryRun ? r.move.length : r.moved} data packs (${bytes(r.bytes)}) older than ${days} days to ${r.tier}; ` +
      `${r.alreadyThere} already there, ${r.tooYoung} younger` +
      (r.vanished ? `, ${r.vanished} deleted meanwhile` : '') +
      '; config, map packs, manifests, leases and records stay online',
  );
  return 0;
}
