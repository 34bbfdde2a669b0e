// What an NBD session serves: a block export. The snapshot itself (read-only), the snapshot under
// a copy-on-write overlay, or the snapshot being hydrated to a target all look alike to a session.
import type { AllocationExtent, ReadCursor } from '../engine/index.js';

export type { AllocationExtent, ReadCursor };

export function newCursor(): ReadCursor {
  return { lastSegment: -2, aheadTo: 0 };
}

export interface BlockExport {
  /** The export's name: `VOLUME@ID` (the empty name is the default export as well). */
  readonly name: string;
  readonly description: string;
  readonly size: number;
  readonly writable: boolean;
  read(offset: number, length: number, cursor: ReadCursor): Promise<Buffer>;
  /** Data and holes over the range, for base:allocation. */
  allocation(offset: number, length: number): Promise<AllocationExtent[]>;
  write(offset: number, data: Buffer): Promise<void>;
  /** Drops the range: it then reads as zeros (a hole). */
  trim(offset: number, length: number): Promise<void>;
  writeZeroes(offset: number, length: number): Promise<void>;
  /** Makes every completed write durable. */
  flush(): Promise<void>;
}

/** A write to a read-only export, or beyond its end: answered with EPERM / EINVAL. */
export class ReadOnlyExportError extends Error {}
