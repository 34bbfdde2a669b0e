import { type LeaseSummary, clearLeases } from '../../repo/lease-objects.js';
import { flag, parse } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { Output } from '../output.js';

/** `unlock [--all]`: removes stale leases (with --all every lease, live ones too). */
export async function unlockCommand(argv: string[]): Promise<number> {
  const v = parse('unlock', argv, { repo: { type: 'string' }, all: { type: 'boolean' } });
  const out = new Output(v);
  const all = flag(v, 'all');
  const { repo, counters } = await openRepository(v, 'unlock');
  const r = await clearLeases(repo, { nowMs: Date.now(), all });
  out.result({ ...r, ...storeFigures(counters) }, () => {
    const lines: string[] = [];
    if (all) lines.push('--all: removing every lease, live ones included');
    for (const x of r.removed) {
      if ('unreadable' in x) lines.push(`removed unreadable lease ${x.key}: ${x.unreadable}`);
      else lines.push(`removed ${x.stale ? 'stale' : 'live'} lease of ${describe(x)}${x.stale ? `: ${x.stale}` : ''}`);
    }
    if (r.gateRemoved) lines.push('removed the exclusive gate locks/exclusive');
    for (const x of r.kept) lines.push(`kept live lease of ${describe(x)}, refreshed ${x.refreshed}`);
    if (r.removed.length === 0 && !r.gateRemoved) lines.unshift('no stale leases');
    return lines.join('\n');
  });
  return 0;
}

function describe(x: LeaseSummary): string {
  return `${x.operation} (${x.kind})${x.volume ? ` of volume ${x.volume}` : ''} on host ${x.host} (pid ${x.pid}) since ${x.started}`;
}
