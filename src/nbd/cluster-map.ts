// Per-cluster state of an overlay or a hydration target, two bits a cluster (16 MiB of memory per
// TiB of volume at 16 KiB clusters), persisted beside the file it describes so a served overlay or
// an interrupted hydration can be picked up again. The header names the snapshot and the size,
// so a map is never applied to another snapshot's file.
import { open, rename, rm } from 'node:fs/promises';
import { UsageError } from '../errors.js';

/** Bytes per cluster: the snapshot's fingerprint block, so a cluster is proven as one piece. */
export const CLUSTER = 16384;

export const Cluster = {
  /** Read from the snapshot. */
  Base: 0,
  /** Held in the file (written, or hydrated). */
  Data: 1,
  /** Reads as zeros (trimmed or zeroed). */
  Zero: 2,
} as const;
export type Cluster = (typeof Cluster)[keyof typeof Cluster];

const MAGIC = Buffer.from('snaptier cluster map v1\n'.padEnd(32, '\0'));
const HEADER = 32 + 32 + 8 + 4;

export class ClusterMap {
  private readonly bits: Uint8Array;
  readonly count: number;
  /** Clusters not in the Base state. */
  taken = 0;

  constructor(
    readonly size: number,
    readonly snapshotId: Buffer,
  ) {
    this.count = Math.ceil(size / CLUSTER);
    this.bits = new Uint8Array(Math.ceil(this.count / 4));
  }

  get(i: number): Cluster {
    return ((this.bits[i >> 2]! >> ((i & 3) * 2)) & 3) as Cluster;
  }

  set(i: number, state: Cluster): void {
    const was = this.get(i);
    if (was === state) return;
    const shift = (i & 3) * 2;
    this.bits[i >> 2] = (this.bits[i >> 2]! & ~(3 << shift)) | (state << shift);
    if (was === Cluster.Base) this.taken++;
    else if (state === Cluster.Base) this.taken--;
  }

  /** Runs of equal state over the bytes [offset, end): [from, to, state] in bytes. */
  *runs(offset: number, end: number): Generator<[number, number, Cluster]> {
    let from = offset;
    while (from < end) {
      const state = this.get(Math.floor(from / CLUSTER));
      let to = Math.min(end, (Math.floor(from / CLUSTER) + 1) * CLUSTER);
      while (to < end && this.get(Math.floor(to / CLUSTER)) === state) to = Math.min(end, to + CLUSTER);
      yield [from, to, state];
      from = to;
    }
  }

  /** Writes the map to `path` atomically (a temporary file renamed over it, both synced). */
  async save(path: string): Promise<void> {
    const head = Buffer.alloc(HEADER);
    MAGIC.copy(head, 0);
    this.snapshotId.copy(head, 32, 0, 32);
    head.writeBigUInt64BE(BigInt(this.size), 64);
    head.writeUInt32BE(CLUSTER, 72);
    const tmp = `${path}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.write(head);
      await fh.write(this.bits);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  }

  /** The map saved at `path` for this snapshot and size; null when there is none. */
  static async load(path: string, size: number, snapshotId: Buffer): Promise<ClusterMap | null> {
    const fh = await open(path, 'r').catch(() => null);
    if (!fh) return null;
    try {
      const map = new ClusterMap(size, snapshotId);
      const head = Buffer.alloc(HEADER);
      await fh.read(head, 0, HEADER, 0);
      const same =
        head.subarray(0, 32).equals(MAGIC) &&
        head.subarray(32, 64).equals(padId(snapshotId)) &&
        head.readBigUInt64BE(64) === BigInt(size) &&
        head.readUInt32BE(72) === CLUSTER;
      if (!same) throw new UsageError(`${path} is the map of another snapshot or size; remove it and its file to start afresh`);
      const { bytesRead } = await fh.read(map.bits, 0, map.bits.length, HEADER);
      if (bytesRead !== map.bits.length) throw new UsageError(`${path} is truncated`);
      for (let i = 0; i < map.count; i++) if (map.get(i) !== Cluster.Base) map.taken++;
      return map;
    } finally {
      await fh.close();
    }
  }

  static async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }
}

function padId(id: Buffer): Buffer {
  const b = Buffer.alloc(32);
  id.copy(b, 0, 0, 32);
  return b;
}
