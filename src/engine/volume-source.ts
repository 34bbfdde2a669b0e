// What a backup reads: a file or block device read by position (SourceFile), or a stream read
// once to its end (StreamSource), and how a path or `-` becomes one or the other.
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { SourceFile } from './source.js';
import { StreamSource } from './stream-source.js';

export type VolumeSource = SourceFile | StreamSource;

export function isStream(s: VolumeSource): s is StreamSource {
  return s.streaming;
}

/**
 * Opens what a backup reads: `-` (stdin) or a Readable as a stream; a path by what it is: a
 * pipe, socket or character device is a stream too (never a 0-byte file), anything else a file
 * or block device read by position.
 */
export async function openVolumeSource(source: string | Readable): Promise<VolumeSource> {
  if (typeof source !== 'string') return new StreamSource('the source stream', source);
  if (source === '-') return new StreamSource('standard input', process.stdin);
  let fh: FileHandle;
  try {
    fh = await open(source, constants.O_RDONLY);
  } catch (err) {
    // A socket as stdin (how many programs spawn children) cannot be opened by path.
    const stdinPaths = ['/dev/stdin', '/proc/self/fd/0', '/dev/fd/0'];
    if ((err as NodeJS.ErrnoException).code === 'ENXIO' && stdinPaths.includes(source)) return new StreamSource(source, process.stdin);
    return SourceFile.open(source); // for its error message
  }
  const st = await fh.stat();
  if (st.isFIFO() || st.isCharacterDevice() || st.isSocket()) {
    return new StreamSource(source, fh.createReadStream({ highWaterMark: 1 << 20 }), () => fh.close().catch(() => {}));
  }
  await fh.close();
  return SourceFile.open(source);
}
