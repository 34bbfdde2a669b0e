// Forwarding records (forward/<id> objects, sealed like prune records): where repacking moved
// blobs. Every reader loads them once (one LIST, usually one or two small GETs); each prune
// that repacks writes one record holding every move still needed, chains collapsed, and then
// deletes the records it replaced, so their number stays small.
import { randomBytes } from 'node:crypto';
import type { RepoContext } from '../engine/index.js';
import { ForwardTable } from '../format/forward-table.js';
import { asIntegrity } from '../format/integrity.js';
import { type ForwardMove, decodeForwardRecord, encodeForwardRecord } from '../format/forward-codec.js';
import { FORWARD_PREFIX, forwardRecordKey, parseForwardRecordKey } from '../format/layout.js';
import { BlobKind } from '../format/seal.js';
import { getSealed, putSealed } from './sealed-object.js';
import { MAGICS } from '../format/sealed-object.js';

const MAGIC = MAGICS.forward;
/** ~10 bytes a moved blob: tens of millions of moves stay below. */
const RECORD_BYTES = 256 << 20;

export interface Forwarding {
  table: ForwardTable;
  /** The record objects read, oldest first. */
  keys: string[];
}

export async function readForwarding(repo: Pick<RepoContext, 'store' | 'sealer'>): Promise<Forwarding> {
  const found: Array<{ key: string; createdMs: number; moves: ForwardMove[] }> = [];
  for await (const o of repo.store.list(FORWARD_PREFIX)) {
    const parsed = parseForwardRecordKey(o.key);
    if (!parsed) continue;
    const id = Buffer.from(parsed.id, 'hex');
    const plain = await getSealed(repo, o.key, MAGIC, BlobKind.ForwardRecord, id, RECORD_BYTES, `forwarding record ${o.key}`);
    try {
      const r = decodeForwardRecord(plain, RECORD_BYTES);
      if (!r.id.equals(id)) throw new Error('record names another id');
      found.push({ key: o.key, createdMs: r.createdMs, moves: r.moves });
    } catch (err) {
      throw asIntegrity(err, `forwarding record ${o.key}`);
    }
  }
  // Newer records last: where two name the same blob, the newer place wins.
  found.sort((a, b) => a.createdMs - b.createdMs);
  const table = new ForwardTable();
  for (const r of found) for (const m of r.moves) table.add(m);
  return { table, keys: found.map((r) => r.key) };
}

/** Writes one record with these moves (nothing when there are none); returns its key. */
export async function writeForwarding(repo: Pick<RepoContext, 'store' | 'sealer'>, moves: ForwardMove[], nowMs: number): Promise<string | null> {
  if (moves.length === 0) return null;
  const id = randomBytes(16);
  const key = forwardRecordKey(id);
  await putSealed(repo, key, MAGIC, BlobKind.ForwardRecord, id, encodeForwardRecord({ id, createdMs: nowMs, moves }));
  return key;
}
