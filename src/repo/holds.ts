// Holds: a snapshot that forget must keep until a date, whatever the policy says. Each hold is
// its own small sealed object under holds/<volume key>/<snapshot id>/<hold id>, so setting or
// releasing one never rewrites the immutable manifest.
import { randomBytes } from 'node:crypto';
import { IntegrityError, UsageError } from '../errors.js';
import { HOLD_PREFIX, holdKey, parseHoldKey } from '../format/layout.js';
import { type Hold, decodeHold, encodeHold } from '../format/hold-codec.js';
import { BlobKind } from '../format/seal.js';
import { checkVolumeName, resolveSnapshot } from './catalog.js';
import type { Repository } from './repository.js';
import { getSealed, putSealed } from './sealed-object.js';
import { MAGICS } from '../format/sealed-object.js';

const MAGIC = MAGICS.hold;
const HOLD_BYTES = 64 << 10;
const REASON_BYTES = 1024;

export type { Hold };

export interface StoredHold {
  key: string;
  hold: Hold;
}

export function holdActive(h: Hold, nowMs: number): boolean {
  return h.untilMs > nowMs;
}

export async function placeHold(
  repo: Repository,
  req: { volume: string; snapshot: string; untilMs: number; reason?: string; nowMs: number },
): Promise<StoredHold> {
  checkVolumeName(req.volume);
  const reason = req.reason ?? '';
  if (Buffer.byteLength(reason) > REASON_BYTES) throw new UsageError(`hold reason is longer than ${REASON_BYTES} bytes`);
  if (req.untilMs <= req.nowMs) throw new UsageError(`hold until ${new Date(req.untilMs).toISOString()} lies in the past`);
  const { manifest } = await resolveSnapshot(repo, req.volume, req.snapshot);
  const hold: Hold = { id: randomBytes(16), volume: req.volume, snapshot: manifest.id, untilMs: req.untilMs, reason, createdMs: req.nowMs };
  const key = holdKey(repo.volumeKey(req.volume), manifest.id, hold.id);
  await putSealed(repo, key, MAGIC, BlobKind.Hold, hold.id, encodeHold(hold));
  return { key, hold };
}

/** Deletes every hold of one snapshot; returns those released. */
export async function releaseHolds(repo: Repository, volume: string, snapshot: string): Promise<StoredHold[]> {
  checkVolumeName(volume);
  const { manifest } = await resolveSnapshot(repo, volume, snapshot);
  const holds = await listHolds(repo, volume, manifest.id.toString('hex'));
  for (const h of holds) await repo.store.delete(h.key);
  return holds;
}

/** Every hold (of a volume, of one of its snapshots), read and verified. */
export async function listHolds(repo: Repository, volume?: string, snapshotHex?: string): Promise<StoredHold[]> {
  let prefix = HOLD_PREFIX;
  if (volume !== undefined) prefix += `${repo.volumeKey(volume)}/${snapshotHex ? `${snapshotHex}/` : ''}`;
  const out: StoredHold[] = [];
  for await (const o of repo.store.list(prefix)) {
    const parsed = parseHoldKey(o.key);
    if (!parsed) continue;
    out.push({ key: o.key, hold: await readHold(repo, o.key, parsed) });
  }
  return out;
}

async function readHold(repo: Repository, key: string, parsed: NonNullable<ReturnType<typeof parseHoldKey>>): Promise<Hold> {
  const id = Buffer.from(parsed.hold, 'hex');
  const plain = await getSealed(repo, key, MAGIC, BlobKind.Hold, id, HOLD_BYTES, `hold ${key}`);
  let h: Hold;
  try {
    h = decodeHold(plain, HOLD_BYTES);
  } catch (err) {
    throw new IntegrityError(`hold ${key} is damaged: ${(err as Error).message}`);
  }
  // A hold copied under another snapshot's name must not protect that snapshot.
  if (!h.id.equals(id) || h.snapshot.toString('hex') !== parsed.snapshot || repo.volumeKey(h.volume) !== parsed.volumeKey) {
    throw new IntegrityError(`hold ${key} is damaged: it names another snapshot`);
  }
  return h;
}
