// Local directory store, the embedded default. Every put writes a temporary file beside the
// target, fsyncs it, then renames (or hard-links, for create-once) it into place and fsyncs the
// directory, so a crash leaves either the whole object or none of it, never a torn one.
import { randomBytes } from 'node:crypto';
import { constants, type Dir } from 'node:fs';
import { type FileHandle, link, open, opendir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import {
  AccessDeniedError,
  InvalidRangeError,
  ObjectExistsError,
  ObjectNotFoundError,
  StoreError,
  type GetOptions,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  type TemporaryLeftover,
} from '../object-store.js';
import { makeDirs } from './make-dirs.js';

const TEMP_SUFFIX = '.tmp-';

export class LocalStore implements ObjectStore {
  readonly capabilities = { atomicCreate: true, tiers: [] as readonly string[] };
  readonly description: string;

  constructor(readonly root: string) {
    this.description = `local directory ${root}`;
  }

  async ensureContainer(): Promise<void> {
    await makeDirs(this.root).catch((err) => {
      throw translate(err, this.root);
    });
  }

  async put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    const path = this.pathOf(key);
    const temp = `${path}${TEMP_SUFFIX}${randomBytes(6).toString('hex')}`;
    try {
      await makeDirs(dirname(path)).catch((err) => {
        // mkdir -p reports a path component that is already an object as EEXIST or ENOTDIR.
        throw isCode(err, 'EEXIST', 'ENOTDIR') ? layoutConflict(key, err) : err;
      });
      const fh = await open(temp, 'wx');
      try {
        await writeParts(fh, body);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (options?.ifNotExists) {
        // link(2) fails with EEXIST when the target exists: an atomic create-once.
        await link(temp, path).catch(async (err) => {
          throw isCode(err, 'EEXIST') && !(await isFile(path)) ? layoutConflict(key, err) : err;
        });
        await unlink(temp);
      } else {
        await rename(temp, path).catch((err) => {
          throw isCode(err, 'EISDIR') ? layoutConflict(key, err) : err;
        });
      }
      await syncDir(dirname(path));
    } catch (err) {
      await rm(temp, { force: true }).catch(() => {});
      throw translate(err, key);
    }
  }

  async get(key: string, options?: GetOptions): Promise<Buffer> {
    const path = this.pathOf(key);
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      throw translate(err, key);
    }
    try {
      const st = await fh.stat();
      // A directory is only a prefix of other keys, not an object.
      if (!st.isFile()) throw new ObjectNotFoundError(key);
      const size = st.size;
      const offset = options?.range?.offset ?? 0;
      const length = options?.range ? options.range.length : size;
      if (offset < 0 || length < 0 || offset + length > size) {
        throw new InvalidRangeError(`range ${offset}+${length} is outside object ${key} of ${size} bytes`);
      }
      const buf = options?.into?.length === length ? options.into : Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) throw new InvalidRangeError(`object ${key} shrank while being read`);
        done += bytesRead;
      }
      return buf;
    } catch (err) {
      throw translate(err, key);
    } finally {
      await fh.close();
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    try {
      const s = await stat(this.pathOf(key));
      if (!s.isFile()) throw new ObjectNotFoundError(key);
      return { key, size: s.size };
    } catch (err) {
      throw translate(err, key);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    // Walk only the directory that can hold the prefix.
    const cut = prefix.lastIndexOf('/');
    const baseKey = cut >= 0 ? prefix.slice(0, cut) : '';
    yield* this.walk(join(this.root, ...splitKey(baseKey)), prefix);
  }

  private async *walk(dir: string, prefix: string): AsyncIterable<ObjectInfo> {
    let handle: Dir;
    try {
      handle = await opendir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw translate(err, dir);
    }
    for await (const entry of handle) {
      const full = join(dir, entry.name);
      const key = relative(this.root, full).split(sep).join('/');
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(full, prefix);
      } else if (entry.isFile() && key.startsWith(prefix) && !entry.name.includes(TEMP_SUFFIX)) {
        const s = await stat(full).catch(() => null);
        if (s) yield { key, size: s.size, modifiedMs: s.mtimeMs };
      }
    }
  }

  /** Temporary files of puts that never finished (the process was killed between write and rename). */
  async sweepTemporary(opts: { olderThanMs: number; nowMs: number; dryRun: boolean }): Promise<TemporaryLeftover[]> {
    const out: TemporaryLeftover[] = [];
    const walk = async (dir: string): Promise<void> => {
      let handle: Dir;
      try {
        handle = await opendir(dir);
      } catch (err) {
        if (isCode(err, 'ENOENT', 'ENOTDIR')) return;
        throw translate(err, dir);
      }
      for await (const entry of handle) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && entry.name.includes(TEMP_SUFFIX)) {
          const s = await stat(full).catch(() => null);
          const ageMs = s ? opts.nowMs - s.mtimeMs : -1;
          if (!s || ageMs < opts.olderThanMs) continue;
          if (!opts.dryRun) await rm(full, { force: true });
          out.push({ key: relative(this.root, full).split(sep).join('/'), size: s.size, ageMs: Math.round(ageMs) });
        }
      }
    };
    await walk(this.root);
    return out;
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (err) {
      // No such file, a path through an object (ENOTDIR), or a directory (EISDIR): no such object.
      if (isCode(err, 'ENOENT', 'ENOTDIR', 'EISDIR')) return;
      throw translate(err, key);
    }
  }

  private pathOf(key: string): string {
    return join(this.root, ...splitKey(key));
  }
}

function splitKey(key: string): string[] {
  const parts = key.split('/').filter((p) => p.length > 0);
  for (const p of parts) {
    if (p === '.' || p === '..' || p.includes('\\')) throw new StoreError(`invalid object key ${key}`);
  }
  return parts;
}

/** FileHandle.write may write less than asked (a full disk, a file size limit): loop, never commit a short object. */
/**
 * Writes the parts in order with writev, up to WRITEV_PARTS a call: a pack is thousands of
 * small sealed parts, and one write each cost a fifth of a second per 5 MB pack.
 */
async function writeParts(fh: FileHandle, body: readonly Uint8Array[]): Promise<void> {
  let position = 0;
  for (let i = 0; i < body.length; i += WRITEV_PARTS) {
    let parts = body.slice(i, i + WRITEV_PARTS).filter((p) => p.byteLength > 0);
    let left = parts.reduce((n, p) => n + p.byteLength, 0);
    while (left > 0) {
      const { bytesWritten } = await fh.writev(parts as Uint8Array[], position);
      position += bytesWritten;
      left -= bytesWritten;
      parts = skipBytes(parts, bytesWritten);
    }
  }
}

/** The parts after the first `n` bytes (a short writev resumes where it stopped). */
function skipBytes(parts: Uint8Array[], n: number): Uint8Array[] {
  let i = 0;
  while (i < parts.length && n >= parts[i]!.byteLength) n -= parts[i++]!.byteLength;
  const rest = parts.slice(i);
  if (n > 0 && rest.length) rest[0] = rest[0]!.subarray(n);
  return rest;
}

/** Below IOV_MAX (1024 on Linux). */
const WRITEV_PARTS = 512;

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

function isCode(err: unknown, ...codes: string[]): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && codes.includes(code);
}

/** A directory cannot be both an object and the parent of objects, as a key in S3 can. */
function layoutConflict(key: string, cause: unknown): StoreError {
  return new StoreError(
    `local store: object ${key} cannot be stored: its path collides with another object (a local directory cannot hold both "a" and "a/b")`,
    { cause },
  );
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function translate(err: unknown, key: string): Error {
  if (err instanceof StoreError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const detail = (err as Error).message ?? String(err);
  // ENOTDIR: a part of the path is a file, i.e. an object, so there is no object under it.
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ObjectNotFoundError(key, { cause: err });
  if (code === 'EEXIST') return new ObjectExistsError(key, { cause: err });
  if (code === 'EROFS') return new AccessDeniedError(`${key} cannot be written: the file system is read-only (${detail})`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM') {
    return new AccessDeniedError(`access to ${key} refused: ${detail}`, { cause: err });
  }
  return new StoreError(`local store: ${key}: ${detail}`, { cause: err, retriable: code === 'EAGAIN' });
}
