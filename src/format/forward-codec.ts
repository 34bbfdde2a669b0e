// Encoding and defensive decoding of forwarding records (where repacking moved blobs).
import { snaptier as pb } from './gen/snaptier.js';
import { FormatError, type Long, bytes, num, parse, version } from './codec.js';
import { FORMAT_VERSION } from './types.js';

export interface ForwardMove {
  from: Buffer; // 16-byte pack id
  to: Buffer; // 16-byte pack id
  fromOffsets: number[];
  toOffsets: number[];
}

export interface ForwardRecord {
  id: Buffer; // 16 bytes
  createdMs: number;
  moves: ForwardMove[];
}

export function encodeForwardRecord(r: ForwardRecord): Uint8Array {
  return pb.ForwardRecord.encode({
    version: FORMAT_VERSION,
    id: r.id,
    createdMs: r.createdMs,
    moves: r.moves.map((m) => ({ from: m.from, to: m.to, fromOffsets: m.fromOffsets, toOffsets: m.toOffsets })),
  }).finish();
}

export function decodeForwardRecord(buf: Uint8Array, limit: number): ForwardRecord {
  const m = parse('forwarding record', limit, buf, (b) => pb.ForwardRecord.decode(b));
  version(m.version, 'forwarding record');
  return {
    id: bytes(m.id, 16, 'forwarding record id'),
    createdMs: num(m.createdMs as number | Long, 'forwarding record time'),
    moves: (m.moves ?? []).map((mv) => {
      const fromOffsets = (mv.fromOffsets ?? []).map((o) => num(o as number | Long, 'forwarded offset'));
      const toOffsets = (mv.toOffsets ?? []).map((o) => num(o as number | Long, 'forwarded offset'));
      if (fromOffsets.length !== toOffsets.length) throw new FormatError('forwarding record has unpaired offsets');
      return { from: bytes(mv.from, 16, 'forwarded pack id'), to: bytes(mv.to, 16, 'forwarded pack id'), fromOffsets, toOffsets };
    }),
  };
}
