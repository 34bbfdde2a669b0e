import { checkRepository } from '../../repo/check.js';
import { flag, parse } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { Output, plural } from '../output.js';

export async function checkCommand(argv: string[]): Promise<number> {
  const v = parse('check', argv, { repo: { type: 'string' }, 'read-data': { type: 'boolean' } });
  const out = new Output(v);
  const { repo, counters } = await openRepository(v, 'check');
  out.objectsRead = () => counters.requests.get;
  out.log(`checking ${repo.store.description}${flag(v, 'read-data') ? ', reading all data' : ''}`, 'check', { readData: flag(v, 'read-data') });
  const r = await checkRepository(repo, { readData: flag(v, 'read-data'), onProgress: out.progress });
  out.log(`check done: ${plural(r.errors.length, 'error')}, ${plural(r.warnings.length, 'warning')}`, 'checked', { errors: r.errors.length, warnings: r.warnings.length });
  if (!out.json) for (const w of r.warnings) out.warn(w);
  out.result({ ok: r.ok, errors: r.errors, warnings: r.warnings, snapshots: r.snapshots, packs: r.packs, ...storeFigures(counters) }, () =>
    r.ok ? `no errors: ${plural(r.snapshots, 'snapshot')}, ${plural(r.packs, 'pack')}${flag(v, 'read-data') ? ', all data read back' : ''}` : r.errors.map((e) => `error: ${e}`).join('\n'),
  );
  return r.ok ? 0 : 3;
}
