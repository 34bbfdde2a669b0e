import { readFile } from 'node:fs/promises';
import { shortId, snapshotId } from '../../repo/catalog.js';
import { copySnapshots } from '../../repo/copy.js';
import { Repository } from '../../repo/repository.js';
import { UsageError } from '../../errors.js';
import { need, parse, password, str, type Values } from '../args.js';
import { storeFigures } from '../context.js';
import { openStore } from '../open-store.js';
import { holdLease } from '../leases.js';
import { Output, bytes, plural } from '../output.js';

export async function copyCommand(argv: string[]): Promise<number> {
  const v = parse('copy', argv, {
    from: { type: 'string' },
    to: { type: 'string' },
    volume: { type: 'string' },
    'to-password-file': { type: 'string' },
  });
  const out = new Output(v);
  const from = need(v, 'from', 'copy');
  const to = need(v, 'to', 'copy');
  const volume = str(v, 'volume');
  const source = await openStore(from, v);
  const target = await openStore(to, v);
  const src = await Repository.open(source.store, () => password(v));
  const dst = await Repository.open(target.store, () => destinationPassword(v));
  out.log(`copying ${volume ? `volume ${volume}` : 'every volume'} from ${source.store.description} to ${target.store.description}`);
  const signal = await holdLease(dst, { operation: 'copy', kind: 'shared', ...(volume !== undefined ? { volume } : {}) });
  const r = await copySnapshots(src, dst, {
    ...(volume !== undefined ? { volume } : {}),
    onProgress: out.progress,
    signal,
    onCopied: (c) =>
      out.log(`snapshot ${shortId(c.source)} of ${c.source.volume} copied as ${shortId(c.copy)}: ${bytes(c.bytesUploaded)} sent`),
  });
  const a = storeFigures(source.counters);
  const b = storeFigures(target.counters);
  out.result(
    {
      snapshots: r.copied.map((c) => snapshotId(c.source)),
      copies: r.copied.map((c) => ({ source: snapshotId(c.source), snapshot: snapshotId(c.copy), volume: c.copy.volume })),
      skipped: r.skipped.map(snapshotId),
      bytesUploaded: r.bytesUploaded,
      objectsUploaded: r.objectsUploaded,
      bytesFetched: r.bytesFetched,
      durationMs: r.durationMs,
      requests: a.requests + b.requests,
      retries: a.retries + b.retries,
    },
    () =>
      `${plural(r.copied.length, 'snapshot')} copied, ${r.skipped.length} already there: ${bytes(r.bytesUploaded)} sent in ${plural(r.objectsUploaded, 'object')}, ` +
      `${(r.durationMs / 1000).toFixed(1)} s`,
  );
  return 0;
}

/**
 * The destination's password: --to-password-file, SNAPTIER_TO_PASSWORD, or else the source's
 * (--password-file, SNAPTIER_PASSWORD), for two repositories that share one.
 */
async function destinationPassword(v: Values): Promise<string | null> {
  const file = str(v, 'to-password-file');
  if (file) {
    try {
      return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
    } catch (err) {
      throw new UsageError(`password file ${file} cannot be read: ${(err as Error).message}`);
    }
  }
  return process.env.SNAPTIER_TO_PASSWORD ?? (await password(v));
}
