import { UsageError } from '../../errors.js';
import { listHolds, placeHold, releaseHolds } from '../../repo/holds.js';
import { flag, need, parse, str } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { parseDate } from '../duration.js';
import { holdLease } from '../leases.js';
import { Output, plural } from '../output.js';

/** `hold --volume V --snapshot ID --until DATE [--reason TEXT]`, `--release`, or `--list`. */
export async function holdCommand(argv: string[]): Promise<number> {
  const v = parse('hold', argv, {
    repo: { type: 'string' },
    volume: { type: 'string' },
    snapshot: { type: 'string' },
    until: { type: 'string' },
    reason: { type: 'string' },
    release: { type: 'boolean' },
    list: { type: 'boolean' },
  });
  const out = new Output(v);
  if (flag(v, 'list')) {
    const volume = str(v, 'volume');
    const { repo, counters } = await openRepository(v, 'hold');
    const now = Date.now();
    const holds = (await listHolds(repo, volume)).map(({ hold: h }) => ({
      snapshot: h.snapshot.toString('hex'),
      volume: h.volume,
      until: new Date(h.untilMs).toISOString(),
      reason: h.reason,
      active: h.untilMs > now,
    }));
    out.result({ holds, ...storeFigures(counters) }, () =>
      holds.length ? holds.map((h) => `${h.snapshot.slice(0, 8)} ${h.volume} until ${h.until}${h.active ? '' : ' (expired)'} ${h.reason}`).join('\n') : 'no holds',
    );
    return 0;
  }
  const volume = need(v, 'volume', 'hold');
  const snapshot = need(v, 'snapshot', 'hold');
  if (flag(v, 'release')) {
    if (str(v, 'until') !== undefined) throw new UsageError('hold: --release and --until exclude each other');
    const { repo, counters } = await openRepository(v, 'hold');
    await holdLease(repo, { operation: 'hold', kind: 'shared', volume });
    const released = await releaseHolds(repo, volume, snapshot);
    out.result(
      { released: released.map((h) => ({ snapshot: h.hold.snapshot.toString('hex'), until: new Date(h.hold.untilMs).toISOString(), reason: h.hold.reason })), ...storeFigures(counters) },
      () => (released.length ? `released ${plural(released.length, 'hold')} on snapshot ${snapshot} of ${volume}` : `snapshot ${snapshot} of ${volume} had no holds`),
    );
    return 0;
  }
  const untilMs = parseDate('until', need(v, 'until', 'hold'));
  const reason = str(v, 'reason');
  const { repo, counters } = await openRepository(v, 'hold');
  await holdLease(repo, { operation: 'hold', kind: 'shared', volume });
  const { hold } = await placeHold(repo, { volume, snapshot, untilMs, ...(reason !== undefined ? { reason } : {}), nowMs: Date.now() });
  out.result(
    { snapshot: hold.snapshot.toString('hex'), volume, until: new Date(hold.untilMs).toISOString(), reason: hold.reason, ...storeFigures(counters) },
    () => `snapshot ${hold.snapshot.toString('hex').slice(0, 8)} of ${volume} held until ${new Date(hold.untilMs).toISOString()}`,
  );
  return 0;
}
