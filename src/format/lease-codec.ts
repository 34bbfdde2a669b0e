// Encoding and defensive decoding of repository locks (locks/<id>, see src/repo/lease.ts).
import { snaptier as pb } from './gen/snaptier.js';
import { FormatError, type Long, bytes, num, parse, version } from './codec.js';
import { FORMAT_VERSION } from './types.js';

export type LockKind = 'shared' | 'exclusive';

export interface RepoLock {
  id: Buffer; // 16 bytes, as in the object's key
  owner: Buffer; // 16 bytes, the same across rewrites
  host: string;
  pid: number;
  operation: string;
  kind: LockKind;
  /** '' when the operation is not about one volume. */
  volume: string;
  startedMs: number;
  refreshedMs: number;
}

/** Bounds on the text fields: a lock names a host and an operation, nothing longer. */
export const LOCK_TEXT_BYTES = 256;

export function encodeRepoLock(l: RepoLock): Uint8Array {
  return pb.RepoLock.encode({
    version: FORMAT_VERSION,
    id: l.id,
    owner: l.owner,
    host: l.host,
    pid: l.pid,
    operation: l.operation,
    kind: l.kind === 'exclusive' ? pb.LockKind.LOCK_EXCLUSIVE : pb.LockKind.LOCK_SHARED,
    volume: l.volume,
    startedMs: l.startedMs,
    refreshedMs: l.refreshedMs,
  }).finish();
}

export function decodeRepoLock(buf: Uint8Array, limit: number): RepoLock {
  const m = parse('lock', limit, buf, (b) => pb.RepoLock.decode(b));
  version(m.version, 'lock');
  const text = (v: string | null | undefined, what: string): string => {
    const s = v ?? '';
    if (Buffer.byteLength(s) > LOCK_TEXT_BYTES) throw new FormatError(`lock ${what} is longer than ${LOCK_TEXT_BYTES} bytes`);
    return s;
  };
  const kind = m.kind ?? pb.LockKind.LOCK_SHARED;
  if (kind !== pb.LockKind.LOCK_SHARED && kind !== pb.LockKind.LOCK_EXCLUSIVE) throw new FormatError(`lock kind ${kind} is unknown`);
  const startedMs = num(m.startedMs as number | Long, 'lock start');
  const refreshedMs = num(m.refreshedMs as number | Long, 'lock refresh');
  return {
    id: bytes(m.id, 16, 'lock id'),
    owner: bytes(m.owner, 16, 'lock owner'),
    host: text(m.host, 'host'),
    pid: num(m.pid, 'lock pid'),
    operation: text(m.operation, 'operation'),
    kind: kind === pb.LockKind.LOCK_EXCLUSIVE ? 'exclusive' : 'shared',
    volume: text(m.volume, 'volume'),
    startedMs,
    refreshedMs,
  };
}
