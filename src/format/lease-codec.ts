// Encoding and defensive decoding of repository leases (locks/<id>, see src/repo/lease.ts).
import { snaptier as pb } from './gen/snaptier.js';
import { FormatError, type Long, bytes, num, parse, version } from './codec.js';
import { FORMAT_VERSION } from './types.js';

export type LeaseKind = 'shared' | 'exclusive';

export interface Lease {
  id: Buffer; // 16 bytes, as in the object's key
  owner: Buffer; // 16 bytes, the same across rewrites
  host: string;
  pid: number;
  operation: string;
  kind: LeaseKind;
  /** '' when the operation is not about one volume. */
  volume: string;
  startedMs: number;
  refreshedMs: number;
}

/** Bounds on the text fields: a lease names a host and an operation, nothing longer. */
export const LEASE_TEXT_BYTES = 256;

export function encodeLease(l: Lease): Uint8Array {
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

export function decodeLease(buf: Uint8Array, limit: number): Lease {
  const m = parse('lease', limit, buf, (b) => pb.RepoLock.decode(b));
  version(m.version, 'lease');
  const text = (v: string | null | undefined, what: string): string => {
    const s = v ?? '';
    if (Buffer.byteLength(s) > LEASE_TEXT_BYTES) throw new FormatError(`lease ${what} is longer than ${LEASE_TEXT_BYTES} bytes`);
    return s;
  };
  const kind = m.kind ?? pb.LockKind.LOCK_SHARED;
  if (kind !== pb.LockKind.LOCK_SHARED && kind !== pb.LockKind.LOCK_EXCLUSIVE) throw new FormatError(`lease kind ${kind} is unknown`);
  const startedMs = num(m.startedMs as number | Long, 'lease start');
  const refreshedMs = num(m.refreshedMs as number | Long, 'lease refresh');
  return {
    id: bytes(m.id, 16, 'lease id'),
    owner: bytes(m.owner, 16, 'lease owner'),
    host: text(m.host, 'host'),
    pid: num(m.pid, 'lease pid'),
    operation: text(m.operation, 'operation'),
    kind: kind === pb.LockKind.LOCK_EXCLUSIVE ? 'exclusive' : 'shared',
    volume: text(m.volume, 'volume'),
    startedMs,
    refreshedMs,
  };
}
