// The `file` source: an image file or block device read as it is, with no change list.
import type { TakenSnapshot, VolumeSource } from './source.js';

export class FileSource implements VolumeSource {
  readonly type = 'file';
  constructor(private readonly path: string) {}

  async take(): Promise<TakenSnapshot> {
    const path = this.path;
    return { open: async () => path, sourceId: null, changes: null, finish: async () => {} };
  }
}
