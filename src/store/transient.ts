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
