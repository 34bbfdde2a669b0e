import { UsageError } from '../../errors.js';
import type { ImmutabilityPolicy } from '../../format/types.js';
import { Repository, codecFromName } from '../../repo/repository.js';
import { flag, int, parse, password, repoUrl, str, type Values } from '../args.js';
import { storeFigures } from '../context.js';
import { prepareLocalRoot } from '../init-target.js';
import { localPath, openStore } from '../open-store.js';
import { Output } from '../output.js';

export async function initCommand(argv: string[]): Promise<number> {
  const v = parse('init', argv, {
    repo: { type: 'string' },
    'no-encryption': { type: 'boolean' },
    compression: { type: 'string' },
    'pack-size': { type: 'string' },
    'data-tier': { type: 'string' },
    'lock-days': { type: 'string' },
    'lock-until': { type: 'string' },
    'lock-mode': { type: 'string' },
    // Test-only: immutability of seconds, so that suites can watch one end (not in CLI.md).
    'lock-seconds': { type: 'string' },
  });
  const out = new Output(v);
  const url = repoUrl(v, 'init');
  const plain = flag(v, 'no-encryption');
  const pw = plain ? null : await password(v);
  if (!plain && (pw === null || pw === '')) {
    throw new UsageError('init: give a password (SNAPTIER_PASSWORD, SNAPTIER_PASSWORD_FILE, --password-file or --password-command), or --no-encryption for a repository without encryption');
  }
  const packMiB = int(v, 'pack-size');
  if (packMiB !== undefined && (packMiB < 1 || packMiB > 1024)) throw new UsageError('--pack-size is in MiB, from 1 to 1024');
  const compression = codecFromName(str(v, 'compression') ?? 'zstd');
  const immutability = immutabilityPolicy(v);
  const local = localPath(url);
  if (local !== null) await prepareLocalRoot(local);
  const { store, counters } = await openStore(url, v);
  const dataTier = str(v, 'data-tier');
  if (dataTier !== undefined && !store.capabilities.tiers.includes(dataTier)) {
    const known = store.capabilities.tiers;
    throw new UsageError(`--data-tier ${dataTier} is not a tier of ${store.description}${known.length ? `: use one of ${known.join(', ')}` : ' (it has no tiers)'}`);
  }
  // An archive tier is allowed: data packs go cold as written, metadata stays online, and a
  // restore plans and requests their rehydration (restore --rehydrate; docs/archive.md).
  if (dataTier !== undefined && store.capabilities.archiveTiers?.includes(dataTier)) {
    out.warn(`--data-tier ${dataTier}: data packs are written to an archive tier; a restore will need restore --rehydrate (hours), check --read-data skips them`);
  }
  const repo = await Repository.init(store, {
    ...(dataTier ? { dataTier } : {}),
    ...(immutability ? { immutability } : {}),
    password: pw,
    compression,
    ...(packMiB !== undefined ? { packSize: packMiB << 20 } : {}),
  });
  out.result(
    { repository: url, id: repo.config.repoId.toString('hex'), encrypted: repo.encrypted, compression: str(v, 'compression') ?? 'zstd', dataTier: repo.config.dataTier || null, ...(immutability ? { lock: immutabilityFigures(immutability) } : {}), ...storeFigures(counters) },
    () =>
      `created ${repo.encrypted ? 'encrypted' : 'unencrypted'} repository ${repo.config.repoId.toString('hex').slice(0, 8)} at ${url}` +
      (immutability ? `; every object is written immutable (${immutability.mode}) for ${describeImmutability(immutability)}` : ''),
  );
  return 0;
}

const DAY_SECONDS = 86_400;

/** --lock-days / --lock-until / --lock-mode (and the test-only --lock-seconds) as a policy, or null. */
function immutabilityPolicy(v: Values): ImmutabilityPolicy | null {
  const days = int(v, 'lock-days');
  const seconds = int(v, 'lock-seconds');
  const untilFlag = str(v, 'lock-until');
  const modeFlag = str(v, 'lock-mode');
  if (days === undefined && seconds === undefined && untilFlag === undefined) {
    if (modeFlag !== undefined) throw new UsageError('init: --lock-mode needs --lock-days or --lock-until');
    return null;
  }
  if (days !== undefined && seconds !== undefined) throw new UsageError('init: give --lock-days or --lock-seconds, not both');
  const mode = modeFlag ?? 'compliance';
  if (mode !== 'compliance' && mode !== 'governance') throw new UsageError(`init: --lock-mode is compliance or governance, not ${mode}`);
  let untilMs = 0;
  if (untilFlag !== undefined) {
    untilMs = Date.parse(untilFlag);
    if (Number.isNaN(untilMs)) throw new UsageError(`init: --lock-until ${untilFlag} is not a date (use ISO 8601, e.g. 2030-12-31 or 2030-12-31T00:00:00Z)`);
    if (untilMs <= Date.now()) throw new UsageError(`init: --lock-until ${untilFlag} is in the past`);
  }
  const total = days !== undefined ? days * DAY_SECONDS : (seconds ?? 0);
  if (total === 0 && untilMs === 0) throw new UsageError('init: immutability of 0 days protects nothing');
  return { mode, seconds: total, untilMs };
}

function describeImmutability(l: ImmutabilityPolicy): string {
  const parts: string[] = [];
  if (l.seconds) parts.push(l.seconds % DAY_SECONDS === 0 ? `${l.seconds / DAY_SECONDS} days after each write` : `${l.seconds} s after each write`);
  if (l.untilMs) parts.push(`at least until ${new Date(l.untilMs).toISOString()}`);
  return parts.join(', ');
}

function immutabilityFigures(l: ImmutabilityPolicy) {
  return { mode: l.mode, seconds: l.seconds, until: l.untilMs ? new Date(l.untilMs).toISOString() : null };
}
