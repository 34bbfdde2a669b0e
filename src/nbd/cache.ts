// The optional on-disk cache of proven segments (`serve --disk-cache FILE`): a sparse file of the
// volume's size holding each segment at its own offset once it has been fetched and proven. It
// is the second level under the reader's memory cache: what it returns is proven again against
// the snapshot before use (snapshot-reader.ts), so a damaged or stale cache file can cost a
// fetch, never a wrong byte. Disk use grows up to the data read; the file is removed on close.
import { type FileHandle, open, rm } from 'node:fs/promises';
import type { SegmentSpill } from '../engine/index.js';
import { EnvironmentError } from '../errors.js';

export class DiskCache implements SegmentSpill {
  private readonly present = new Set<number>();
  bytesStored = 0;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    private readonly segmentSize: number,
  ) {}

  /** Creates (or empties) the cache file for a volume of `size` bytes. */
  static async create(path: string, size: number, segmentSize: number): Promise<DiskCache> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'w+');
    } catch (err) {
      throw new EnvironmentError(`disk cache ${path} cannot be created: ${(err as Error).message}`);
    }
    await fh.truncate(size);
    return new DiskCache(path, fh, segmentSize);
  }

  async get(index: number): Promise<Buffer | null> {
    if (!this.present.has(index)) return null;
    const out = Buffer.alloc(this.segmentSize);
    const { bytesRead } = await this.fh.read(out, 0, out.length, index * this.segmentSize);
    return out.subarray(0, bytesRead);
  }

  async put(index: number, data: Buffer): Promise<void> {
    if (this.present.has(index)) return;
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.fh.write(data, done, data.length - done, index * this.segmentSize + done);
      done += bytesWritten;
    }
    this.present.add(index);
    this.bytesStored += data.length;
  }

  async close(): Promise<void> {
    await this.fh.close();
    await rm(this.path, { force: true });
  }
}
