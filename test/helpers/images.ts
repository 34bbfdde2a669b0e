// Generated volume images: a content mix of zeros, random bytes and log-like text, and the
// mutations a real volume sees between snapshots. Everything derives from a seed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, truncate, stat } from 'node:fs/promises';
import { Rng } from './random.js';

const BLOCK = 4096;

function textBlock(rng: Rng, n: number): Buffer {
  const parts: string[] = [];
  let len = 0;
  while (len < n) {
    const line = `2026-11-22T${String(rng.int(24)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')} INFO req=${rng.int(1e6)} path=/api/item/${rng.int(999)} status=${rng.pick([200, 200, 200, 404, 500])} dur=${rng.int(900)}ms\n`;
    parts.push(line);
    len += line.length;
  }
  return Buffer.from(parts.join('')).subarray(0, n);
}

/** Writes an image of `size` bytes: runs of zeros, random data and text, 64 KiB to 1 MiB each. */
export async function writeImage(path: string, size: number, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const fh = await open(path, 'w');
  try {
    let pos = 0;
    while (pos < size) {
      const len = Math.min(size - pos, (1 + rng.int(16)) * 64 * 1024);
      const kind = rng.int(3);
      if (kind === 1) await fh.write(rng.bytes(len), 0, len, pos);
      else if (kind === 2) await fh.write(textBlock(rng, len), 0, len, pos);
      pos += len;
    }
    await fh.truncate(size);
  } finally {
    await fh.close();
  }
}

export type Mutation = 'scattered' | 'contiguous' | 'zero' | 'grow' | 'shrink';

export interface ChangeRecord {
  offset: number;
  length: number;
}

/** Applies one kind of change; returns the byte ranges it touched (for --changed-extents). */
export async function mutate(path: string, kind: Mutation, rng: Rng): Promise<ChangeRecord[]> {
  const size = (await stat(path)).size;
  const fh = await open(path, 'r+');
  const out: ChangeRecord[] = [];
  try {
    switch (kind) {
      case 'scattered': {
        const n = 1 + rng.int(40);
        for (let i = 0; i < n && size >= BLOCK; i++) {
          const off = rng.int(Math.floor(size / BLOCK)) * BLOCK;
          const len = Math.min(BLOCK, size - off);
          await fh.write(rng.bytes(len), 0, len, off);
          out.push({ offset: off, length: len });
        }
        break;
      }
      case 'contiguous': {
        const len = Math.min(size, (1 + rng.int(48)) * 64 * 1024 + rng.int(BLOCK));
        const off = rng.int(Math.max(1, size - len));
        await fh.write(rng.next() < 0.5 ? rng.bytes(len) : textBlock(rng, len), 0, len, off);
        out.push({ offset: off, length: len });
        break;
      }
      case 'zero': {
        const len = Math.min(size, (1 + rng.int(32)) * 32 * 1024);
        const off = rng.int(Math.max(1, size - len));
        await fh.write(Buffer.alloc(len), 0, len, off);
        out.push({ offset: off, length: len });
        break;
      }
      case 'grow': {
        const add = 1 + rng.int(3 << 20);
        await fh.write(rng.bytes(add), 0, add, size);
        out.push({ offset: size, length: add });
        break;
      }
      case 'shrink': {
        const cut = Math.min(size - 1, 1 + rng.int(2 << 20));
        await fh.truncate(size - cut);
        break;
      }
    }
  } finally {
    await fh.close();
  }
  return out;
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function setSize(path: string, size: number): Promise<void> {
  await truncate(path, size);
}
