// The --changed-extents file of `backup`: a JSON array of {"offset": N, "length": N}. Checked by
// hand rather than with a schema library: that library is ~750 KB of code to parse on every
// backup with a change list, for two integer fields (the start-up of such a backup is most of
// its cost, see the README's start-up figures).
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';

export interface Extent {
  offset: number;
  length: number;
}

/** The extents in `file`, or a UsageError naming the file and the first bad place. */
export async function readExtentsFile(file: string): Promise<Extent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--changed-extents ${file} cannot be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--changed-extents ${file} is not JSON: ${(err as Error).message}`);
  }
  const bad = (where: string, why: string) =>
    new UsageError(`--changed-extents ${file} is malformed at ${where}: expected an array of {"offset": N, "length": N} (${why})`);
  if (!Array.isArray(json)) throw bad('the top', `expected array, received ${kind(json)}`);
  return json.map((item: unknown, i): Extent => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw bad(`[${i}]`, `expected object, received ${kind(item)}`);
    const rec = item as Record<string, unknown>;
    return { offset: byteCount(rec.offset, `[${i}].offset`, bad), length: byteCount(rec.length, `[${i}].length`, bad) };
  });
}

function byteCount(v: unknown, where: string, bad: (where: string, why: string) => UsageError): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw bad(where, `expected number, received ${kind(v)}`);
  if (!Number.isInteger(v)) throw bad(where, 'expected an integer');
  if (v < 0) throw bad(where, 'expected a number >= 0');
  if (v > Number.MAX_SAFE_INTEGER) throw bad(where, `expected a number <= ${Number.MAX_SAFE_INTEGER}`);
  return v;
}

function kind(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}
