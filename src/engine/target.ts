// A restore target: a regular file (created or truncated to the restored length, so holes stay
// sparse) or an existing block device (which must be large enough, and whose holes are zeroed).
import { type FileHandle, open, stat } from 'node:fs/promises';
import { EnvironmentError, UsageError } from '../errors.js';
import { blockDeviceSize } from './source.js';

export class RestoreTarget {
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    readonly isBlockDevice: boolean,
  ) {}

  static async open(path: string, length: number): Promise<RestoreTarget> {
    const st = await stat(path).catch(() => null);
    if (st?.isDirectory()) throw new UsageError(`target ${path} is a directory`);
    if (st?.isBlockDevice()) {
      const size = await blockDeviceSize(st.rdev);
      if (size < length) throw new UsageError(`target device ${path} has ${size} bytes, the restore needs ${length}`);
      return new RestoreTarget(path, await openOrFail(path, 'r+'), true);
    }
    const fh = await openOrFail(path, 'w');
    await fh.truncate(length);
    return new RestoreTarget(path, fh, false);
  }

  /**
   * A target that keeps nothing (/dev/null): a restore into it proves every byte of the
   * snapshot and writes none (check --read-data).
   */
  static async discard(): Promise<RestoreTarget> {
    return new RestoreTarget('/dev/null', await openOrFail('/dev/null', 'w'), false);
  }

  /** The open descriptor, for worker threads of this process that write segments directly. */
  get fd(): number {
    return this.fh.fd;
  }

  async write(position: number, data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.fh.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
  }

  /** Starts the disk writes of what has been written so far (fdatasync); close() waits for the rest. */
  async flush(): Promise<void> {
    await this.fh.datasync();
  }

  async close(): Promise<void> {
    if (this.path !== '/dev/null') await this.fh.sync().catch((err) => (this.closed ? undefined : Promise.reject(err)));
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }

  private closed = false;
}

async function openOrFail(path: string, flags: string): Promise<FileHandle> {
  try {
    return await open(path, flags);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`target ${path}: its directory does not exist`);
    throw new EnvironmentError(`target ${path} cannot be opened: ${(err as Error).message}`);
  }
}
