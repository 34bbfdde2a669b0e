// Names of the objects in a repository. Names carry random ids or keyed hashes only, so they
// reveal nothing of the data or of volume names.
import { PackKind } from './types.js';

export const CONFIG_KEY = 'config';
export const DATA_PREFIX = 'data/';
export const TREE_PREFIX = 'tree/';
export const SNAPSHOT_PREFIX = 'snapshots/';

export function packKey(kind: PackKind, pack: Uint8Array): string {
  const hex = Buffer.from(pack).toString('hex');
  return `${kind === PackKind.Data ? DATA_PREFIX : TREE_PREFIX}${hex.slice(0, 2)}/${hex}`;
}

/** Parses a pack object key; null for anything else (temporary files, foreign objects). */
export function parsePackKey(key: string): { kind: PackKind; pack: Buffer } | null {
  const m = /^(data|tree)\/([0-9a-f]{2})\/([0-9a-f]{32})$/.exec(key);
  if (!m || m[3]!.slice(0, 2) !== m[2]) return null;
  return { kind: m[1] === 'data' ? PackKind.Data : PackKind.Tree, pack: Buffer.from(m[3]!, 'hex') };
}

export function snapshotKey(volumeKey: string, id: Uint8Array): string {
  return `${SNAPSHOT_PREFIX}${volumeKey}/${Buffer.from(id).toString('hex')}`;
}

export function parseSnapshotKey(key: string): { volumeKey: string; id: string } | null {
  const m = /^snapshots\/([0-9a-f]{32})\/([0-9a-f]{32})$/.exec(key);
  return m ? { volumeKey: m[1]!, id: m[2]! } : null;
}

export const HOLD_PREFIX = 'holds/';
export const PRUNE_PREFIX = 'prune/';

/** Holds of a snapshot live beside, not inside, its immutable manifest. */
export function holdKey(volumeKey: string, snapshot: Uint8Array, hold: Uint8Array): string {
  return `${HOLD_PREFIX}${volumeKey}/${Buffer.from(snapshot).toString('hex')}/${Buffer.from(hold).toString('hex')}`;
}

export function parseHoldKey(key: string): { volumeKey: string; snapshot: string; hold: string } | null {
  const m = /^holds\/([0-9a-f]{32})\/([0-9a-f]{32})\/([0-9a-f]{32})$/.exec(key);
  return m ? { volumeKey: m[1]!, snapshot: m[2]!, hold: m[3]! } : null;
}

export function pruneRecordKey(id: Uint8Array): string {
  return `${PRUNE_PREFIX}${Buffer.from(id).toString('hex')}`;
}

export function parsePruneRecordKey(key: string): { id: string } | null {
  const m = /^prune\/([0-9a-f]{32})$/.exec(key);
  return m ? { id: m[1]! } : null;
}

export const FORWARD_PREFIX = 'forward/';

export function forwardRecordKey(id: Uint8Array): string {
  return `${FORWARD_PREFIX}${Buffer.from(id).toString('hex')}`;
}

export function parseForwardRecordKey(key: string): { id: string } | null {
  const m = /^forward\/([0-9a-f]{32})$/.exec(key);
  return m ? { id: m[1]! } : null;
}

/** Leases live under locks/: the prefix keeps the old word, since it is on the store. */
export const LEASE_PREFIX = 'locks/';
/** The exclusive gate on stores with atomic create: holds the 16-byte owner id of the exclusive lease. */
export const EXCLUSIVE_GATE_KEY = `${LEASE_PREFIX}exclusive`;

export function leaseKey(id: Uint8Array): string {
  return `${LEASE_PREFIX}${Buffer.from(id).toString('hex')}`;
}

export function parseLeaseKey(key: string): { id: string } | null {
  const m = /^locks\/([0-9a-f]{32})$/.exec(key);
  return m ? { id: m[1]! } : null;
}

export const CHECKPOINT_PREFIX = 'checkpoints/';

/** A running backup's checkpoint; each one gets a new id, so none is ever overwritten. */
export function checkpointKey(volumeKey: string, id: Uint8Array): string {
  return `${CHECKPOINT_PREFIX}${volumeKey}/${Buffer.from(id).toString('hex')}`;
}

export function parseCheckpointKey(key: string): { volumeKey: string; id: string } | null {
  const m = /^checkpoints\/([0-9a-f]{32})\/([0-9a-f]{32})$/.exec(key);
  return m ? { volumeKey: m[1]!, id: m[2]! } : null;
}

/** Key objects: one wrap of the master key per password (src/repo/keys.ts). */
export const KEY_PREFIX = 'keys/';

export function keyObjectKey(id: Uint8Array): string {
  return `${KEY_PREFIX}${Buffer.from(id).toString('hex')}`;
}

export function parseKeyObjectKey(key: string): { id: string } | null {
  const m = /^keys\/([0-9a-f]{32})$/.exec(key);
  return m ? { id: m[1]! } : null;
}
