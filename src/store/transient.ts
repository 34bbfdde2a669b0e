// What every HTTP object store answers or suffers when trying again may succeed: the statuses
// of a busy or failing service, and Node's own codes for a connection that broke. Each adapter
// adds its SDK's names for the same things.

/** Busy, throttled, timing out, or behind a failing gateway. */
export const RETRIABLE_HTTP_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Socket-level failures: the request may be sent again on a new connection. */
export const SOCKET_ERROR_CODES: readonly string[] = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
];

/** Failures that mean no server was reached at all: nothing answered, so nothing is busy. */
const UNREACHABLE: ReadonlyArray<[RegExp, string]> = [
  [/^ECONNREFUSED$/, 'connection refused'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME)$/, 'unknown host'],
  [/^(EHOSTUNREACH|ENETUNREACH|ENETDOWN)$/, 'no route to the host'],
  [/^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|EPROTO$)/, 'TLS failure'],
];

/**
 * "connection refused (ECONNREFUSED)" and the like when `err` (or an error it wraps) says that
 * the store's host could not be reached; null for anything a server answered.
 */
export function unreachableCause(err: unknown): string | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null || seen.has(e)) continue;
    seen.add(e);
    const x = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    const code = typeof x.code === 'string' ? x.code : '';
    for (const [re, what] of UNREACHABLE) if (code && re.test(code)) return `${what} (${code})`;
    if (typeof x.message === 'string' && /wrong version number|certificate|SSL routines/i.test(x.message)) return `TLS failure (${x.message.split('\n')[0]})`;
    queue.push(x.cause);
    if (Array.isArray(x.errors)) queue.push(...x.errors);
  }
  return null;
}
