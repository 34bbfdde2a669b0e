// Encoding and defensive decoding of snapshot holds (holds/..., see src/repo/holds.ts).
import { snaptier as pb } from './gen/snaptier.js';
import { FormatError, type Long, bytes, num, parse, version } from './codec.js';
import { FORMAT_VERSION } from './types.js';

export interface Hold {
  id: Buffer; // 16 bytes
  volume: string;
  snapshot: Buffer; // 16 bytes
  untilMs: number;
  reason: string;
  createdMs: number;
}

export function encodeHold(h: Hold): Uint8Array {
  return pb.Hold.encode({ version: FORMAT_VERSION, id: h.id, volume: h.volume, snapshot: h.snapshot, untilMs: h.untilMs, reason: h.reason, createdMs: h.createdMs }).finish();
}

export function decodeHold(buf: Uint8Array, limit: number): Hold {
  const m = parse('hold', limit, buf, (b) => pb.Hold.decode(b));
  version(m.version, 'hold');
  const untilMs = num(m.untilMs as number | Long, 'hold until');
  if (untilMs < 0) throw new FormatError('hold until is negative');
  return {
    id: bytes(m.id, 16, 'hold id'),
    volume: m.volume ?? '',
    snapshot: bytes(m.snapshot, 16, 'held snapshot id'),
    untilMs,
    reason: m.reason ?? '',
    createdMs: num(m.createdMs as number | Long, 'hold created'),
  };
}
