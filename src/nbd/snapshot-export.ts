// The snapshot itself as a read-only export: reads and allocation come from the snapshot reader,
// which proves every byte; every write is refused.
import type { SnapshotReader } from '../engine/index.js';
import { type AllocationExtent, type BlockExport, type ReadCursor, ReadOnlyExportError } from './export.js';

export class SnapshotExport implements BlockExport {
  readonly writable = false;

  constructor(
    readonly reader: SnapshotReader,
    readonly name: string,
  ) {}

  get size(): number {
    return this.reader.size;
  }

  get description(): string {
    return this.reader.name;
  }

  read(offset: number, length: number, cursor: ReadCursor): Promise<Buffer> {
    return this.reader.read(offset, length, cursor);
  }

  allocation(offset: number, length: number): Promise<AllocationExtent[]> {
    return this.reader.allocation(offset, length);
  }

  async write(): Promise<void> {
    throw new ReadOnlyExportError('the export is read-only');
  }

  async trim(): Promise<void> {
    throw new ReadOnlyExportError('the export is read-only');
  }

  async writeZeroes(): Promise<void> {
    throw new ReadOnlyExportError('the export is read-only');
  }

  async flush(): Promise<void> {}
}
