// A backup source or a restore target: an image file or a block device, read and written by
// position. Block device sizes come from sysfs, since stat reports 0 for them.
import { constants, fstatSync } from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { NotFoundInputError, UsageError } from '../errors.js';
import { dataExtents } from './data-extents.js';

export class SourceFile {
  readonly streaming = false;
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    readonly size: number,
    readonly isBlockDevice: boolean,
  ) {}

  static async open(path: string, what = 'source'): Promise<SourceFile> {
    let fh: FileHandle;
    try {
      fh = await open(path, constants.O_RDONLY);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new NotFoundInputError(`${what} ${path} does not exist`);
      if (code === 'EISDIR') throw new UsageError(`${what} ${path} is a directory, not an image or block device`);
      throw new UsageError(`${what} ${path} cannot be opened: ${(err as Error).message}`);
    }
    const st = await fh.stat();
    if (st.isDirectory()) {
      await fh.close();
      throw new UsageError(`${what} ${path} is a directory, not an image or block device`);
    }
    const block = st.isBlockDevice();
    const size = block ? await blockDeviceSize(st.rdev) : st.size;
    return new SourceFile(path, fh, size, block);
  }

  /**
   * Whether [start, end) is all hole (reads as zeros without being stored): true only for a
   * regular file whose hole map says so; a block device, or an installation that cannot ask, reads.
   */
  isHole(start: number, end: number): boolean {
    if (this.isBlockDevice) return false;
    // Past the end of a file that shrank there is no data either: read, so that it is caught.
    if (fstatSync(this.fh.fd).size < end) return false;
    const extents = dataExtents(this.fh.fd, start, end, 1);
    return extents !== null && extents.length === 0;
  }

  /** Reads exactly `length` bytes at `position`; a source that shrank is an error. */
  async read(position: number, length: number, into?: Buffer): Promise<Buffer> {
    // Never from Node's shared pool: read buffers may be transferred to worker threads.
    const buf = into ?? Buffer.allocUnsafeSlow(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(buf, done, length - done, position + done);
      if (bytesRead === 0) {
        throw new UsageError(`${this.path} shrank during the backup: no data at byte ${position + done} of ${this.size}`);
      }
      done += bytesRead;
    }
    return buf;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

export async function blockDeviceSize(rdev: number): Promise<number> {
  const major = (rdev >> 8) & 0xfff;
  const minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
  const sectors = Number((await readFile(`/sys/dev/block/${major}:${minor}/size`, 'utf8')).trim());
  return sectors * 512;
}
