import { UsageError } from '../../errors.js';
import { Repository, codecFromName } from '../../repo/repository.js';
import { flag, int, parse, password, repoUrl, str } from '../args.js';
import { storeFigures } from '../context.js';
import { openStore } from '../open-store.js';
import { Output } from '../output.js';

/** Tiers whose objects cannot be read until restored (rehydrated) by a separate request. */
const OFFLINE_TIERS: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE', 'Archive']);

export async function initCommand(argv: string[]): Promise<number> {
  const v = parse('init', argv, {
    repo: { type: 'string' },
    'no-encryption': { type: 'boolean' },
    compression: { type: 'string' },
    'pack-size': { type: 'string' },
    'data-tier': { type: 'string' },
  });
  const out = new Output(v);
  const url = repoUrl(v, 'init');
  const plain = flag(v, 'no-encryption');
  const pw = plain ? null : await password(v);
  if (!plain && (pw === null || pw === '')) {
    throw new UsageError('init: set SNAPTIER_PASSWORD or pass --password-file (or --no-encryption for a repository without encryption)');
  }
  const packMiB = int(v, 'pack-size');
  if (packMiB !== undefined && (packMiB < 1 || packMiB > 1024)) throw new UsageError('--pack-size is in MiB, from 1 to 1024');
  const compression = codecFromName(str(v, 'compression') ?? 'zstd');
  // Test suites lower the scrypt cost to keep hundreds of CLI runs fast; never set it in use.
  const kdfLog2N = process.env.SNAPTIER_KDF_LOG2N ? Number(process.env.SNAPTIER_KDF_LOG2N) : undefined;
  const { store, counters } = await openStore(url, v);
  const dataTier = str(v, 'data-tier');
  if (dataTier !== undefined && !store.capabilities.tiers.includes(dataTier)) {
    const known = store.capabilities.tiers;
    throw new UsageError(`--data-tier ${dataTier} is not a tier of ${store.description}${known.length ? `: use one of ${known.join(', ')}` : ' (it has no tiers)'}`);
  }
  if (dataTier !== undefined && OFFLINE_TIERS.has(dataTier)) {
    throw new UsageError(
      `--data-tier ${dataTier} keeps packs offline: every restore and check --read-data would first need a rehydration of hours; use an instantly readable tier (${store.capabilities.tiers.filter((t) => !OFFLINE_TIERS.has(t)).join(', ')})`,
    );
  }
  const repo = await Repository.init(store, {
    ...(dataTier ? { dataTier } : {}),
    password: pw,
    compression,
    ...(kdfLog2N !== undefined ? { kdfLog2N } : {}),
    ...(packMiB !== undefined ? { packSize: packMiB << 20 } : {}),
  });
  out.result(
    { repository: url, id: repo.config.repoId.toString('hex'), encrypted: repo.encrypted, compression: str(v, 'compression') ?? 'zstd', dataTier: repo.config.dataTier || null, ...storeFigures(counters) },
    () => `created ${repo.encrypted ? 'encrypted' : 'unencrypted'} repository ${repo.config.repoId.toString('hex').slice(0, 8)} at ${url}`,
  );
  return 0;
}
