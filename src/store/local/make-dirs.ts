// mkdir -p that always ends. Node's `mkdir(path, { recursive: true })` loops for ever where a
// parent exists but refuses children with ENOENT (/proc, some FUSE mounts) and answers ENOENT
// instead of EROFS on a read-only file system; this walks up once and reports the real error.
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Creates `path` and its missing parents; each directory is tried at most twice. */
export async function makeDirs(path: string): Promise<void> {
  try {
    await mkdir(path);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return assertDirectory(path, err);
    if (code !== 'ENOENT') throw err;
  }
  const parent = dirname(path);
  if (parent === path) throw Object.assign(new Error(`mkdir ${path}: the root does not exist`), { code: 'ENOENT' });
  await makeDirs(parent);
  // The parent exists now: a second ENOENT is the file system refusing, and final.
  await mkdir(path).catch((err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? assertDirectory(path, err) : Promise.reject(err)));
}

async function assertDirectory(path: string, cause: unknown): Promise<void> {
  const st = await stat(path).catch(() => null);
  if (!st?.isDirectory()) throw Object.assign(new Error(`mkdir ${path}: a file is in the way`), { code: 'ENOTDIR', cause });
}
