// A volume's pre and post hooks (SERVICE.md): `pre` before the snapshot is taken, `post` right
// after, and always once `pre` ran, whatever happened in between. Each has the hook timeout.
import { runShell } from './run.js';

export interface Hooks {
  pre?: string | undefined;
  post?: string | undefined;
  timeoutSeconds: number;
}

/** Runs `pre`, then `inner`, then `post` (when `pre` ran); a failing `post` fails the run. */
export async function withHooks<T>(hooks: Hooks | undefined, env: Record<string, string>, signal: AbortSignal, inner: () => Promise<T>): Promise<T> {
  if (!hooks?.pre && !hooks?.post) return inner();
  const opts = { timeoutSeconds: hooks.timeoutSeconds, env, signal };
  if (hooks.pre) await runShell(hooks.pre, { ...opts, what: 'pre hook' });
  let result: T;
  try {
    result = await inner();
  } catch (err) {
    // The post hook undoes what pre did (a thaw): it runs even when the job is canceled.
    if (hooks.post) await runShell(hooks.post, { ...opts, signal: new AbortController().signal, what: 'post hook' }).catch(() => {});
    throw err;
  }
  if (hooks.post) await runShell(hooks.post, { ...opts, signal: new AbortController().signal, what: 'post hook' });
  return result;
}
