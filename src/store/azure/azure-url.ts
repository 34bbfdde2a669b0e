// Parses `azure://CONTAINER/PREFIX?account=NAME&endpoint=URL` into where a repository lives.
// The URL names the place only; credentials come from the environment (azure-client.ts).
import { UsageError } from '../../errors.js';

export interface AzureLocation {
  container: string;
  /** Blob-name prefix of every object: '' or segments ending in '/' ('backups/host1/'). */
  prefix: string;
  /** Storage account name, when the URL gives one. */
  account?: string;
  /** Blob service URL without a trailing slash (emulators, sovereign clouds, private endpoints). */
  endpoint?: string;
}

const PARAMETERS = ['account', 'endpoint'] as const;
/** Azure's rules: 3-63 of a-z, 0-9 and single hyphens, starting and ending with a letter or digit. */
const CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Azure's rules: 3-24 lowercase letters and digits. */
const ACCOUNT = /^[a-z0-9]{3,24}$/;
/** Azure caps a blob name at 1024 characters; leave room for the repository's own keys. */
const MAX_PREFIX = 512;

export function parseAzureUrl(url: string): AzureLocation {
  const bad = (why: string): UsageError => new UsageError(`malformed Azure repository URL ${url}: ${why}`);
  const m = /^azure:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?(#.*)?$/i.exec(url);
  if (!m) throw bad('expected azure://CONTAINER/PREFIX?account=NAME');
  const [, container = '', path = '', query, fragment] = m;
  if (fragment !== undefined) throw bad('a fragment (#...) has no meaning here');
  if (container === '') throw bad('the container name is missing');
  if (!CONTAINER.test(container)) {
    throw bad(`container name "${container}" is not valid (3-63 characters: lowercase letters, digits and single hyphens)`);
  }

  const segments = path.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  const decoded = segments.map((s) => {
    if (s === '') throw bad('the prefix has an empty path segment (//)');
    let d: string;
    try {
      d = decodeURIComponent(s);
    } catch {
      throw bad(`bad percent-encoding in "${s}"`);
    }
    if (d === '.' || d === '..' || d.includes('/') || d.includes('\\')) throw bad(`prefix segment "${d}" is not allowed`);
    return d;
  });
  const prefix = decoded.length > 0 ? `${decoded.join('/')}/` : '';
  if (prefix.length > MAX_PREFIX) throw bad(`the prefix is longer than ${MAX_PREFIX} characters`);

  const location: AzureLocation = { container, prefix };
  const params = new URLSearchParams(query ?? '');
  const seen = new Set<string>();
  for (const [name, value] of params) {
    if (!(PARAMETERS as readonly string[]).includes(name)) {
      throw bad(`unknown parameter "${name}" (known: ${PARAMETERS.join(', ')})`);
    }
    if (seen.has(name)) throw bad(`parameter "${name}" is given twice`);
    seen.add(name);
    if (name === 'account') {
      if (!ACCOUNT.test(value)) throw bad(`account name "${value}" is not valid (3-24 lowercase letters and digits)`);
      location.account = value;
    } else {
      location.endpoint = parseEndpoint(value, bad);
    }
  }
  return location;
}

function parseEndpoint(value: string, bad: (why: string) => UsageError): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw bad(`endpoint "${value}" is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw bad(`endpoint "${value}" must be an http or https URL`);
  if (u.search || u.hash || u.username || u.password) {
    throw bad(`endpoint "${value}" must not carry a query, fragment or credentials (use the environment for those)`);
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** Emulators (Azurite) address accounts by path: http://127.0.0.1:10000/ACCOUNT. */
export function isPathStyleHost(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}
