import { NotFoundInputError } from '../../errors.js';
import { checkVolumeName, listSnapshots, shortId, snapshotId } from '../../repo/catalog.js';
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
  out.result(
    list.map((m) => ({
      id: snapshotId(m),
      volume: m.volume,
      parent: m.parent ? m.parent.toString('hex') : null,
      time: new Date(m.timeMs).toISOString(),
      size: m.size,
      labels: m.labels,
    })),
    () =>
      list.length === 0
        ? 'no snapshots'
        : ['ID        TIME                      VOLUME            SIZE        LABELS']
            .concat(
              list.map((m) =>
                [
                  shortId(m).padEnd(9),
                  new Date(m.timeMs).toISOString().padEnd(25),
                  m.volume.padEnd(17),
                  bytes(m.size).padEnd(11),
                  Object.entries(m.labels).map(([k, x]) => `${k}=${x}`).join(','),
                ].join(' '),
              ),
            )
            .join('\n'),
  );
  return 0;
}
