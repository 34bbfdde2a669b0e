// A copy-on-write file over the snapshot: writes (WRITE, TRIM, WRITE_ZEROES) land in a sparse
// file of the volume's size, a cluster map says which clusters the file holds, and reads merge
// the file with the snapshot. The repository is never written. The same file type serves
// hydration (hydrate.ts), where the file is the restore target and zeros are written for real,
// so that the file alone is the volume once every cluster is in it.
// Memory: the cluster map (2 bits per 16 KiB), and one cluster per partial write being filled.
import { type FileHandle, open, stat } from 'node:fs/promises';
import { blockDeviceSize } from '../engine/index.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { CLUSTER, Cluster, ClusterMap } from './cluster-map.js';
import type { AllocationExtent, BlockExport, ReadCursor } from './export.js';

export interface CowOptions {
  /** Zeros are written into the file (hydration) rather than recorded as trimmed (overlay). */
  writeZeros: boolean;
  snapshotId: Buffer;
  /** Where the cluster map is kept; null: in memory only (a block device target). */
  mapPath: string | null;
}

export class CowExport implements BlockExport {
  readonly writable = true;
  private queue: Promise<unknown> = Promise.resolve();
  private dirty = false;

  private constructor(
    readonly base: BlockExport,
    readonly path: string,
    private readonly fh: FileHandle,
    readonly map: ClusterMap,
    readonly isBlockDevice: boolean,
    private readonly opts: CowOptions,
  ) {}

  /**
   * Opens (or creates) the file for `base`. A file that exists with a map made for the same
   * snapshot is picked up where it was left; an existing non-empty file without one is refused.
   */
  static async open(base: BlockExport, path: string, opts: CowOptions): Promise<CowExport> {
    const st = await stat(path).catch(() => null);
    if (st?.isDirectory()) throw new UsageError(`${path} is a directory`);
    if (st?.isBlockDevice()) {
      const size = await blockDeviceSize(st.rdev);
      if (size < base.size) throw new UsageError(`device ${path} has ${size} bytes, the volume needs ${base.size}`);
      const map = new ClusterMap(base.size, opts.snapshotId);
      return new CowExport(base, path, await openOrFail(path, 'r+'), map, true, { ...opts, mapPath: null });
    }
    const saved = opts.mapPath ? await ClusterMap.load(opts.mapPath, base.size, opts.snapshotId) : null;
    if (st && st.size > 0 && !saved)
      throw new UsageError(`${path} exists and is not an overlay or target of this snapshot; remove it or name another file`);
    const fh = await openOrFail(path, st ? 'r+' : 'w+');
    await fh.truncate(base.size);
    return new CowExport(base, path, fh, saved ?? new ClusterMap(base.size, opts.snapshotId), false, opts);
  }

  get name(): string {
    return this.base.name;
  }

  get description(): string {
    return `${this.base.description}, writes in ${this.path}`;
  }

  get size(): number {
    return this.base.size;
  }

  async read(offset: number, length: number, cursor: ReadCursor): Promise<Buffer> {
    const out = Buffer.alloc(length);
    for (const [from, to, state] of this.map.runs(offset, offset + length)) {
      if (state === Cluster.Base) (await this.base.read(from, to - from, cursor)).copy(out, from - offset);
      else if (state === Cluster.Data) await this.readFile(out, from - offset, to - from, from);
    }
    return out;
  }

  async allocation(offset: number, length: number): Promise<AllocationExtent[]> {
    const out: AllocationExtent[] = [];
    const add = (e: AllocationExtent) => {
      const prev = out[out.length - 1];
      if (prev && prev.hole === e.hole && prev.offset + prev.length === e.offset) prev.length += e.length;
      else out.push({ ...e });
    };
    for (const [from, to, state] of this.map.runs(offset, offset + length)) {
      if (state === Cluster.Base) for (const e of await this.base.allocation(from, to - from)) add(e);
      else add({ offset: from, length: to - from, hole: state === Cluster.Zero });
    }
    return out;
  }

  write(offset: number, data: Buffer): Promise<void> {
    return this.serially(() => this.place(offset, data));
  }

  trim(offset: number, length: number): Promise<void> {
    return this.writeZeroes(offset, length);
  }

  writeZeroes(offset: number, length: number): Promise<void> {
    return this.serially(async () => {
      const end = offset + length;
      // Whole clusters become zero at once; the partial ones at the edges are written.
      const first = Math.ceil(offset / CLUSTER) * CLUSTER;
      const last = Math.min(end, Math.floor(end / CLUSTER) * CLUSTER);
      if (this.opts.writeZeros || first >= last) {
        for (let p = offset; p < end; p += 1 << 20) await this.place(p, Buffer.alloc(Math.min(1 << 20, end - p)));
        return;
      }
      if (offset < first) await this.place(offset, Buffer.alloc(first - offset));
      for (let i = first / CLUSTER; i < last / CLUSTER; i++) this.map.set(i, Cluster.Zero);
      if (last < end) await this.place(last, Buffer.alloc(end - last));
      this.dirty = true;
    });
  }

  async flush(): Promise<void> {
    await this.serially(async () => {
      await this.fh.datasync();
      if (this.dirty && this.opts.mapPath) await this.map.save(this.opts.mapPath);
      this.dirty = false;
    });
  }

  /**
   * Hydration: stores snapshot bytes read at `offset` for the clusters still in the Base state
   * (a client may have written some since they were read). `data` covers whole clusters.
   */
  fill(offset: number, data: Buffer, holes: readonly AllocationExtent[]): Promise<number> {
    return this.serially(async () => {
      let stored = 0;
      for (const [from, to, state] of this.map.runs(offset, offset + data.length)) {
        if (state !== Cluster.Base) continue;
        // A fresh file reads as zeros already: holes of the snapshot need no write there.
        if (this.isBlockDevice || !within(holes, from, to)) await this.writeFile(data.subarray(from - offset, to - offset), from);
        for (let i = from / CLUSTER; i < Math.ceil(to / CLUSTER); i++) this.map.set(i, Cluster.Data);
        stored += to - from;
      }
      this.dirty = true;
      return stored;
    });
  }

  async close(): Promise<void> {
    await this.flush();
    await this.fh.close();
  }

  /** Writes `data` at `offset`, filling partial clusters not yet in the file from what they read as. */
  private async place(offset: number, data: Buffer): Promise<void> {
    const end = offset + data.length;
    const headStart = Math.floor(offset / CLUSTER) * CLUSTER;
    const tailEnd = Math.min(this.size, Math.ceil(end / CLUSTER) * CLUSTER);
    let buf = data;
    let at = offset;
    const needsFill = (pos: number) => this.map.get(Math.floor(pos / CLUSTER)) !== Cluster.Data;
    if ((headStart < offset && needsFill(headStart)) || (tailEnd > end && needsFill(end - 1))) {
      // Copy-on-write: the whole span of clusters, as it reads now, with the new bytes over it.
      buf = await this.read(headStart, tailEnd - headStart, { lastSegment: -2, aheadTo: 0 });
      data.copy(buf, offset - headStart);
      at = headStart;
    }
    await this.writeFile(buf, at);
    for (let i = Math.floor(at / CLUSTER); i < Math.ceil((at + buf.length) / CLUSTER); i++) this.map.set(i, Cluster.Data);
    this.dirty = true;
  }

  private async writeFile(data: Buffer, position: number): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.fh.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
  }

  private async readFile(out: Buffer, at: number, length: number, position: number): Promise<void> {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(out, at + done, length - done, position + done);
      if (bytesRead === 0) break; // past the end of a sparse file: zeros, as out already holds
      done += bytesRead;
    }
  }

  /** Mutations one at a time, so copy-on-write of a cluster never races another write to it. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }
}

function within(holes: readonly AllocationExtent[], from: number, to: number): boolean {
  return holes.some((h) => h.hole && h.offset <= from && h.offset + h.length >= to);
}

async function openOrFail(path: string, flags: string): Promise<FileHandle> {
  try {
    return await open(path, flags);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${path}: its directory does not exist`);
    throw new EnvironmentError(`${path} cannot be opened: ${(err as Error).message}`);
  }
}
