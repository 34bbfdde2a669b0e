// What init checks before it writes a repository into a local directory, so that a mistake is
// named at once: a file in the way or a directory with other things in it is bad usage (exit 2),
// a file system that refuses the directory (read-only, /proc) is the environment (exit 1).
import { readdir, stat } from 'node:fs/promises';
import { EnvironmentError, UsageError } from '../errors.js';
import { CONFIG_KEY } from '../format/layout.js';
import { makeDirs } from '../store/local/make-dirs.js';

/** Creates `root` if needed; throws when init must not or cannot use it. */
export async function prepareLocalRoot(root: string): Promise<void> {
  const st = await stat(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    if (err.code === 'ENOTDIR') throw new UsageError(`init: ${root} cannot be a repository: a part of the path is a file`);
    throw new EnvironmentError(`init: ${root} cannot be inspected: ${err.message}`, { cause: err });
  });
  if (st && !st.isDirectory()) throw new UsageError(`init: ${root} is an existing file, not a directory: give a new or empty directory`);
  if (st) {
    const entries = await readdir(root);
    // A directory holding a config is left to init, which names the existing repository (exit 4).
    if (entries.length > 0 && !entries.includes(CONFIG_KEY)) {
      throw new UsageError(`init: ${root} is not empty and is not a snaptier repository (${entries.length} entries, e.g. ${entries[0]}): give a new or empty directory`);
    }
    return;
  }
  await makeDirs(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EROFS') throw new EnvironmentError(`init: ${root} cannot be created: the file system is read-only`, { cause: err });
    if (err.code === 'ENOTDIR') throw new UsageError(`init: ${root} cannot be a repository: a part of the path is a file`, { cause: err });
    if (err.code === 'ENOENT') throw new EnvironmentError(`init: ${root} cannot be created: the file system refuses new directories there`, { cause: err });
    throw new EnvironmentError(`init: ${root} cannot be created: ${err.message}`, { cause: err });
  });
}
