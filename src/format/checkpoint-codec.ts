// Encoding and defensive decoding of backup checkpoints (what a running backup has made
// durable, for a resume after a kill): ids, counts and node positions are checked here, so a
// damaged or forged checkpoint is refused before any tree walk trusts it.
import { snaptier as pb } from './gen/snaptier.js';
import { FormatError, type Long, bytes, nodeRefIn, nodeRefOut, num, parse, version } from './codec.js';
import { FORMAT_VERSION, type NodeRef } from './types.js';

export interface CheckpointNode {
  level: number;
  /** Position among the nodes of its level: it covers segments index * fanout^level onwards. */
  index: number;
  ref: NodeRef;
}

export interface Checkpoint {
  id: Buffer; // 16 bytes
  run: Buffer; // 16 bytes
  volume: string;
  parent: Buffer | null;
  size: number;
  rootLevel: number;
  /** Segments [0, done) of the new map are finished. */
  done: number;
  nodes: CheckpointNode[];
  startedMs: number;
  timeMs: number;
}

/** Deeper than any map of a volume below 2^53 bytes with segments of at least 4 KiB. */
const MAX_LEVEL = 64;

export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  return pb.Checkpoint.encode({
    version: FORMAT_VERSION,
    id: c.id,
    run: c.run,
    volume: c.volume,
    parent: c.parent ?? Buffer.alloc(0),
    size: c.size,
    rootLevel: c.rootLevel,
    done: c.done,
    nodes: c.nodes.map((n) => ({ level: n.level, index: n.index, ref: nodeRefIn(n.ref) })),
    startedMs: c.startedMs,
    timeMs: c.timeMs,
  }).finish();
}

export function decodeCheckpoint(buf: Uint8Array, limit: number, fanout: number): Checkpoint {
  const m = parse('checkpoint', limit, buf, (b) => pb.Checkpoint.decode(b));
  version(m.version, 'checkpoint');
  const parent = bytes(m.parent, null, 'checkpoint parent');
  if (parent.length !== 0 && parent.length !== 16) throw new FormatError('checkpoint parent id is malformed');
  const rootLevel = num(m.rootLevel, 'checkpoint root level');
  if (rootLevel > MAX_LEVEL) throw new FormatError('checkpoint root level is out of range');
  const done = num(m.done as number | Long, 'checkpoint progress');
  const nodes: CheckpointNode[] = [];
  let end = 0; // first segment after the previous node
  for (const [i, n] of (m.nodes ?? []).entries()) {
    const level = num(n.level, 'checkpoint node level');
    const index = num(n.index as number | Long, 'checkpoint node index');
    // Frontier nodes lie below the root, in order, without overlap, inside the finished part.
    if (level >= rootLevel) throw new FormatError(`checkpoint node ${i} is not below the root`);
    const span = fanout ** level;
    const first = index * span;
    if (!Number.isSafeInteger(first + span)) throw new FormatError(`checkpoint node ${i} is out of range`);
    if (first < end || first >= done) throw new FormatError(`checkpoint node ${i} is out of order or past the finished part`);
    end = first + span;
    nodes.push({ level, index, ref: nodeRefOut(n.ref, `checkpoint node ${i}`) });
  }
  return {
    id: bytes(m.id, 16, 'checkpoint id'),
    run: bytes(m.run, 16, 'checkpoint run'),
    volume: m.volume ?? '',
    parent: parent.length ? parent : null,
    size: num(m.size as number | Long, 'checkpoint size'),
    rootLevel,
    done,
    nodes,
    startedMs: num(m.startedMs as number | Long, 'checkpoint start'),
    timeMs: num(m.timeMs as number | Long, 'checkpoint time'),
  };
}
