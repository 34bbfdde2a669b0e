import { snapshotId } from '../../repo/catalog.js';
import { diffVolume } from '../../repo/jobs.js';
import { need, parse } from '../args.js';
import { openRepository } from '../context.js';
import { Output, bytes, plural } from '../output.js';

export async function diffCommand(argv: string[]): Promise<number> {
  const v = parse('diff', argv, { repo: { type: 'string' }, volume: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } });
  const out = new Output(v);
  const volume = need(v, 'volume', 'diff');
  const { repo } = await openRepository(v, 'diff');
  const d = await diffVolume(repo, volume, need(v, 'from', 'diff'), need(v, 'to', 'diff'));
  const total = d.changed.reduce((n, r) => n + r.length, 0);
  out.result(
    { from: snapshotId(d.from), to: snapshotId(d.to), changed: d.changed, bytesChanged: total },
    () => [`${plural(d.changed.length, 'changed range')}, ${bytes(total)}`, ...d.changed.map((r) => `  ${r.offset}+${r.length}`)].join('\n'),
  );
  return 0;
}
