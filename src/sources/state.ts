// A source's bookkeeping for one volume (the snapshot last created, the one last backed up), a
// small JSON file in the state directory replaced atomically: written beside, fsync'd, renamed.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function readState<T extends object>(file: string, empty: T): Promise<T> {
  try {
    return { ...empty, ...(JSON.parse(await readFile(file, 'utf8')) as Partial<T>) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    throw err;
  }
}

export async function writeState(file: string, state: object): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.write(JSON.stringify(state));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}
