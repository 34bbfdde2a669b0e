// `serve`: an NBD server over one snapshot until SIGTERM or SIGINT; --json prints the summary on exit.
import { UsageError } from '../../errors.js';
import { checkServeRequest, serveSnapshot } from '../../nbd/serve.js';
import { prepareColdRestore } from '../../repo/cold-restore.js';
import { flag, int, need, parse, str } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { Output, bytes } from '../output.js';
import { REHYDRATE_OPTIONS, planFigures, planLines, rehydrateRequest } from '../rehydrate-flags.js';

export async function serveCommand(argv: string[]): Promise<number> {
  const v = parse('serve', argv, {
    repo: { type: 'string' },
    volume: { type: 'string' },
    snapshot: { type: 'string' },
    listen: { type: 'string' },
    writable: { type: 'boolean' },
    overlay: { type: 'string' },
    hydrate: { type: 'string' },
    'cache-mib': { type: 'string' },
    'disk-cache': { type: 'string' },
    ...REHYDRATE_OPTIONS,
  });
  const out = new Output(v);
  const volume = need(v, 'volume', 'serve');
  const snapshot = need(v, 'snapshot', 'serve');
  const listen = need(v, 'listen', 'serve');
  const cacheMib = int(v, 'cache-mib');
  if (cacheMib === 0) throw new UsageError('serve: --cache-mib must be at least 1');
  const overlay = str(v, 'overlay');
  const hydrate = str(v, 'hydrate');
  const diskCache = str(v, 'disk-cache');
  const request = {
    volume,
    snapshot,
    listen,
    writable: flag(v, 'writable'),
    ...(overlay ? { overlay } : {}),
    ...(hydrate ? { hydrate } : {}),
  };
  // Mistakes in the flags are reported before the repository is opened (and its key derived).
  checkServeRequest(request);
  const { repo, counters } = await openRepository(v, 'serve');
  // Cold packs are refused before listening (exit 2, naming their count), or thawed with --rehydrate.
  const cold = await prepareColdRestore(repo, await rehydrateRequest(v, out, { volume, snapshot }));
  if (flag(v, 'plan-only') && cold.plan) {
    out.result({ ...planFigures(cold.plan), ...storeFigures(counters) }, () => planLines(cold.plan!));
    return 0;
  }
  const serving = await serveSnapshot(repo, {
    ...request,
    ...(diskCache ? { diskCache } : {}),
    ...(cacheMib !== undefined ? { cacheBytes: cacheMib * 1024 * 1024 } : {}),
    onLog: (line) => process.stderr.write(`snaptier serve: ${line}\n`),
    onHydrated: (p) =>
      process.stderr.write(
        p.done
          ? `snaptier serve: hydration of ${hydrate} complete (${bytes(p.bytesTotal)})\n`
          : `snaptier serve: hydration of ${hydrate} incomplete: ${p.failed}\n`,
      ),
  });
  // Scripts wait for this line before they connect.
  process.stderr.write(`snaptier serve: serving ${serving.exportName} (${bytes(serving.manifest.size)}) on ${serving.address}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  const s = await serving.close();
  out.result({ ...s, ...storeFigures(counters) }, () => {
    const h = s.hydration
      ? `; hydration ${s.hydration.done ? 'complete' : `incomplete${s.hydration.failed ? `: ${s.hydration.failed}` : ''}`}`
      : '';
    return `served ${s.export}: ${s.served.reads} reads, ${bytes(s.served.bytesServed)}, ${s.served.errors} errors, ${s.cache.cacheHits} cache hits${h}`;
  });
  return s.hydration?.failed ? 3 : 0;
}
