// A volume's pre and post hooks (SERVICE.md): `pre` before the snapshot is taken, `post` right
// after, and always once `pre` was started, whatever happened in between: a `pre` that failed,
// timed out or was canceled may have done half its work (frozen a file system), and `post`
// undoes it. Each has the hook timeout; `post` is not stopped by a cancel.
import { runShell } from './run.js';

export interface Hooks {
  pre?: string | undefined;
  post?: string | undefined;
  timeoutSeconds: number;
}

/** Runs `pre`, then `inner`, then `post`; a failing `post` fails the run. */
export async function withHooks<T>(hooks: Hooks | undefined, env: Record<string, string>, signal: AbortSignal, inner: () => Promise<T>): Promise<T> {
  if (!hooks?.pre && !hooks?.post) return inner();
  const opts = { timeoutSeconds: hooks.timeoutSeconds, env, signal };
  let result: T;
  try {
    if (hooks.pre) await runShell(hooks.pre, { ...opts, what: 'pre hook' });
    result = await inner();
  } catch (err) {
    if (hooks.post) await runShell(hooks.post, { ...opts, signal: new AbortController().signal, what: 'post hook' }).catch(() => {});
    throw err;
  }
  if (hooks.post) await runShell(hooks.post, { ...opts, signal: new AbortController().signal, what: 'post hook' });
  return result;
}
