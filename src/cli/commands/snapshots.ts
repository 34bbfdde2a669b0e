import { NotFoundInputError } from '../../errors.js';
import { checkVolumeName, listSnapshots, shortId, snapshotId, userLabels } from '../../repo/catalog.js';
import { parse, str } from '../args.js';
import { openRepository } from '../context.js';
import { Output, bytes } from '../output.js';

export async function snapshotsCommand(argv: string[]): Promise<number> {
  const v = parse('snapshots', argv, { repo: { type: 'string' }, volume: { type: 'string' } });
  const out = new Output(v);
  const volume = str(v, 'volume');
  if (volume !== undefined) checkVolumeName(volume);
  const { repo } = await openRepository(v, 'snapshots');
  const list = (await listSnapshots(repo, volume)).map((s) => s.manifest);
  // CLI.md: no such volume is bad input (exit 2), so a script asking for a mistyped volume
  // hears of it instead of reading an empty list.
  if (volume !== undefined && list.length === 0) throw new NotFoundInputError(`no snapshots of volume ${volume} in ${repo.store.description}`);
  // A parent is named by its id as listed (a copy made by an earlier version is listed by the
  // id of its original, not the id it is stored under).
  const listed = new Map(list.map((m) => [m.id.toString('hex'), snapshotId(m)]));
  const parentOf = (m: (typeof list)[number]) => (m.parent ? (listed.get(m.parent.toString('hex')) ?? m.parent.toString('hex')) : null);
  out.result(
    list.map((m) => ({
      id: snapshotId(m),
      volume: m.volume,
      parent: parentOf(m),
      time: new Date(m.timeMs).toISOString(),
      size: m.size,
      labels: userLabels(m),
      sourceId: m.sourceId,
    })),
    () =>
      list.length === 0
        ? 'no snapshots'
        : ['ID        TIME                      VOLUME            SIZE        SOURCE-ID / LABELS']
            .concat(
              list.map((m) =>
                [
                  shortId(m).padEnd(9),
                  new Date(m.timeMs).toISOString().padEnd(25),
                  m.volume.padEnd(17),
                  bytes(m.size).padEnd(11),
                  [m.sourceId, ...Object.entries(userLabels(m)).map(([k, x]) => `${k}=${x}`)].filter(Boolean).join(' '),
                ].join(' '),
              ),
            )
            .join('\n'),
  );
  return 0;
}
