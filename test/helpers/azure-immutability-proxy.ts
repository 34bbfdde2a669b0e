// An HTTP proxy in front of Azurite that EMULATES Azure's version-level immutability (WORM),
// which Azurite does not implement (it ignores the policy headers of Put Blob, answers Set Blob
// Immutability Policy with 501 and keeps no blob versions). What it emulates is Azure's documented
// REST behaviour, as the Blob service REST reference and recorded Azure answers show it:
// - Get Container Properties answers x-ms-immutable-storage-with-versioning-enabled (true, or
//   false for the containers `worm` excludes);
// - Put Blob and Put Block List record x-ms-immutability-policy-until-date (RFC 1123) and
//   x-ms-immutability-policy-mode (locked / unlocked) on the new current version, which gets an
//   x-ms-version-id; Set Blob Immutability Policy (PUT ?comp=immutabilityPolicies) sets them;
// - Get Blob Properties and Get Blob answer x-ms-version-id, x-ms-is-current-version and both
//   policy headers (the mode in lower case, as Azure answers it);
// - Delete Blob before the until-date is refused: 409, x-ms-error-code BlobImmutableDueToPolicy
//   and the error XML; after it, the current version becomes a previous version (blob versioning,
//   which version-level immutability requires), kept with its policy until deleted by
//   ?versionid=, which is refused while its policy runs; deleting the current version by its id is
//   403 OperationNotAllowedOnRootBlob; List Blobs with include=versions lists both.
// Previous versions exist only here (Azurite has deleted the data); they can be listed and deleted,
// not read. Everything else goes to Azurite untouched, headers included, so signatures verify.
// Proving the adapter against this proxy is not proving it against Azure.
import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeXml } from './buffered-proxy.js';

export interface EmulatedPolicy {
  untilMs: number;
  mode: 'locked' | 'unlocked';
}

export interface EmulatedVersion {
  versionId: string;
  /** Bytes of a Put Blob; 0 for a Put Block List (the proxy does not sum the blocks). */
  size: number;
  policy?: EmulatedPolicy;
}

export interface ImmutabilityProxyOptions {
  /** Azurite's origin, http://127.0.0.1:PORT */
  upstream: string;
  /** Whether a container has version-level immutability (and so versioning); default: every one. */
  worm?: (container: string) => boolean;
}

export interface ImmutabilityProxy {
  /** http://127.0.0.1:PORT; the account's blob endpoint is this plus /devstoreaccount1. */
  endpoint: string;
  current: (container: string, blob: string) => EmulatedVersion | undefined;
  previous: (container: string, blob: string) => readonly EmulatedVersion[];
  stats: { policiesSet: number; deletesRefused: number; versionsDeleted: number };
  close: () => Promise<void>;
}

const POLICY_UNTIL = 'x-ms-immutability-policy-until-date';
const POLICY_MODE = 'x-ms-immutability-policy-mode';
const MESSAGES: Record<string, string> = {
  BlobImmutableDueToPolicy: 'This operation is not permitted as the blob is immutable due to a policy.',
  BlobNotFound: 'The specified blob does not exist.',
  OperationNotAllowedOnRootBlob: 'This operation is not allowed on the root blob.',
  ImmutabilityPolicyDeleteOnLockedPolicy: 'This operation is not permitted as the immutability policy is locked.',
  InvalidHeaderValue: 'The value for one of the HTTP headers is not in the correct format.',
  MissingRequiredHeader: 'An HTTP header that is mandatory for this request is not specified.',
};

export async function startImmutabilityProxy(opts: ImmutabilityProxyOptions): Promise<ImmutabilityProxy> {
  const up = new URL(opts.upstream);
  const worm = opts.worm ?? (() => true);
  const currents = new Map<string, EmulatedVersion>();
  const previous = new Map<string, EmulatedVersion[]>();
  const stats = { policiesSet: 0, deletesRefused: 0, versionsDeleted: 0 };
  let seq = 0;
  const previousOf = (key: string): EmulatedVersion[] => {
    let list = previous.get(key);
    if (!list) previous.set(key, (list = []));
    return list;
  };
  // Azure's form: 2021-06-28T05:50:37.6314628Z (seven fractional digits), unique here.
  const newVersionId = (): string => new Date().toISOString().replace(/Z$/, `${String(seq++ % 10_000).padStart(4, '0')}Z`);
  const active = (v: EmulatedVersion | undefined): boolean => (v?.policy?.untilMs ?? 0) > Date.now();

  /** Forwards the request; `edit` may change the answer's headers, `rewrite` its (buffered) body. */
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    after?: { done?: (status: number) => void; headers?: (status: number) => Record<string, string>; rewrite?: (xml: string) => string },
  ): void => {
    const fwd = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      const status = upRes.statusCode ?? 502;
      after?.done?.(status);
      const headers: IncomingHttpHeaders = { ...upRes.headers, ...(after?.headers?.(status) ?? {}) };
      if (!after?.rewrite || status !== 200) {
        res.writeHead(status, headers);
        upRes.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      upRes.on('data', (c: Buffer) => chunks.push(c));
      upRes.on('end', () => {
        const out = Buffer.from(after.rewrite!(Buffer.concat(chunks).toString('utf8')));
        delete headers['transfer-encoding'];
        res.writeHead(status, { ...headers, 'content-length': String(out.length) });
        res.end(out);
      });
    });
    fwd.on('error', () => res.socket?.destroy());
    fwd.end(body);
  };

  const reply = (req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string> = {}, code?: string): void => {
    const requestId = randomUUID();
    const common = {
      'x-ms-request-id': requestId,
      'x-ms-version': String(req.headers['x-ms-version'] ?? ''),
      date: new Date().toUTCString(),
    };
    if (!code) {
      res.writeHead(status, { ...common, ...headers, 'content-length': '0' });
      res.end();
      return;
    }
    const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${MESSAGES[code] ?? code}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`;
    const payload = req.method === 'HEAD' ? '' : xml;
    res.writeHead(status, {
      ...common,
      'x-ms-error-code': code,
      'content-type': 'application/xml',
      'content-length': String(Buffer.byteLength(payload)),
    });
    res.end(payload);
  };

  /** The policy a request asks for; a string is the error code of a malformed one. */
  const policyFrom = (headers: IncomingHttpHeaders): EmulatedPolicy | string | undefined => {
    const until = headers[POLICY_UNTIL];
    if (typeof until !== 'string') return undefined;
    const untilMs = Date.parse(until);
    const mode = String(headers[POLICY_MODE] ?? 'unlocked').toLowerCase();
    // "Past times are not valid" (Set Blob Immutability Policy); the mode is unlocked or locked.
    if (Number.isNaN(untilMs) || untilMs <= Date.now() || (mode !== 'locked' && mode !== 'unlocked')) return 'InvalidHeaderValue';
    return { untilMs, mode };
  };
  const policyHeaders = (p: EmulatedPolicy | undefined): Record<string, string> =>
    p ? { [POLICY_UNTIL]: new Date(p.untilMs).toUTCString(), [POLICY_MODE]: p.mode } : {};

  // Each branch ends in one answer: `return forward(...)` and `return reply(...)` are that answer.
  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const [, container = '', ...rest] = url.pathname.slice(1).split('/').map(decodeURIComponent);
    const blob = rest.join('/');
    const q = url.searchParams;
    const comp = q.get('comp');
    const versionId = q.get('versionid');
    const method = req.method ?? 'GET';

    if (container && !blob && q.get('restype') === 'container' && comp === null && (method === 'GET' || method === 'HEAD')) {
      forward(req, res, body, {
        headers: (s) => (s === 200 ? { 'x-ms-immutable-storage-with-versioning-enabled': String(worm(container)) } : {}),
      });
      return;
    }
    if (!container || !worm(container)) return forward(req, res, body);

    if (!blob) {
      const include = (q.get('include') ?? '').split(',');
      if (method === 'GET' && comp === 'list' && include.includes('versions')) {
        forward(req, res, body, { rewrite: (xml) => withVersions(xml, container, q.get('prefix') ?? '') });
        return;
      }
      return forward(req, res, body);
    }

    const key = `${container}/${blob}`;
    const current = currents.get(key);

    if (comp === 'immutabilityPolicies') {
      const target = versionId && versionId !== current?.versionId ? previous.get(key)?.find((v) => v.versionId === versionId) : current;
      if (!target) return reply(req, res, 404, {}, 'BlobNotFound');
      if (method === 'DELETE') {
        if (target.policy?.mode === 'locked') return reply(req, res, 409, {}, 'ImmutabilityPolicyDeleteOnLockedPolicy');
        delete target.policy;
        return reply(req, res, 200);
      }
      if (method !== 'PUT') return forward(req, res, body);
      const policy = policyFrom(req.headers);
      if (policy === undefined) return reply(req, res, 400, {}, 'MissingRequiredHeader');
      if (typeof policy === 'string') return reply(req, res, 400, {}, policy);
      // A locked policy can only be extended, never shortened or unlocked. Azure documents no code
      // of its own for this refusal; the closest documented one stands in (snaptier never asks).
      const held = target.policy;
      if (held?.mode === 'locked' && (policy.mode !== 'locked' || policy.untilMs < held.untilMs)) {
        return reply(req, res, 409, {}, 'BlobImmutableDueToPolicy');
      }
      target.policy = policy;
      stats.policiesSet++;
      return reply(req, res, 200, policyHeaders(policy));
    }

    if (versionId) {
      if (method === 'DELETE') {
        if (versionId === current?.versionId) return reply(req, res, 403, {}, 'OperationNotAllowedOnRootBlob');
        const list = previous.get(key) ?? [];
        const at = list.findIndex((v) => v.versionId === versionId);
        if (at < 0) return reply(req, res, 404, {}, 'BlobNotFound');
        if (active(list[at])) {
          stats.deletesRefused++;
          return reply(req, res, 409, {}, 'BlobImmutableDueToPolicy');
        }
        list.splice(at, 1);
        stats.versionsDeleted++;
        return reply(req, res, 202, { 'x-ms-delete-type-permanent': 'false' });
      }
      // Reading a previous version is not emulated (Azurite no longer has its data).
      if (versionId !== current?.versionId) return reply(req, res, 501);
      return forward(req, res, body);
    }

    if (method === 'PUT' && (comp === null || comp === 'blocklist')) {
      const policy = policyFrom(req.headers);
      if (typeof policy === 'string') return reply(req, res, 400, {}, policy);
      const version: EmulatedVersion = {
        versionId: newVersionId(),
        size: comp === null ? body.length : 0,
        ...(policy ? { policy } : {}),
      };
      forward(req, res, body, {
        done: (s) => {
          if (s !== 201) return;
          // An overwrite keeps the old data as a previous version, with its policy.
          if (current) previousOf(key).push(current);
          currents.set(key, version);
        },
        headers: (s) => (s === 201 ? { 'x-ms-version-id': version.versionId } : {}),
      });
      return;
    }

    if (method === 'DELETE' && comp === null) {
      if (active(current)) {
        stats.deletesRefused++;
        return reply(req, res, 409, {}, 'BlobImmutableDueToPolicy');
      }
      forward(req, res, body, {
        done: (s) => {
          if (s !== 202) return;
          // Versioning: the current version becomes a previous version, data and policy kept.
          previousOf(key).push(current ?? { versionId: newVersionId(), size: 0 });
          currents.delete(key);
        },
      });
      return;
    }

    if ((method === 'HEAD' || method === 'GET') && comp === null && current) {
      forward(req, res, body, {
        headers: (s) =>
          s === 200 || s === 206
            ? { 'x-ms-version-id': current.versionId, 'x-ms-is-current-version': 'true', ...policyHeaders(current.policy) }
            : {},
      });
      return;
    }
    forward(req, res, body);
  };

  /** Azurite's listing with version ids on the current versions and the previous versions added. */
  const withVersions = (xml: string, container: string, prefix: string): string => {
    let out = xml.replace(/<Name>([^<]*)<\/Name>/g, (whole, escaped: string) => {
      const v = currents.get(`${container}/${decodeXml(escaped)}`);
      return v ? `${whole}<VersionId>${v.versionId}</VersionId><IsCurrentVersion>true</IsCurrentVersion>` : whole;
    });
    // Only on the last page: previous versions go after every current one.
    if (!/<NextMarker\s*\/>|<NextMarker><\/NextMarker>/.test(out)) return out;
    const entries: string[] = [];
    for (const [key, versions] of previous) {
      const name = key.slice(container.length + 1);
      if (!key.startsWith(`${container}/`) || !name.startsWith(prefix)) continue;
      for (const v of versions) entries.push(versionXml(name, v));
    }
    if (entries.length === 0) return out;
    out = out.replace(/<Blobs\s*\/>/, '<Blobs></Blobs>');
    return out.replace('</Blobs>', `${entries.join('')}</Blobs>`);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    current: (container, blob) => currents.get(`${container}/${blob}`),
    previous: (container, blob) => previous.get(`${container}/${blob}`) ?? [],
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A previous version as List Blobs (include=versions) shows it: a version id, no IsCurrentVersion. */
function versionXml(name: string, v: EmulatedVersion): string {
  const when = new Date(Date.parse(v.versionId.replace(/(\.\d{3})\d*Z$/, '$1Z'))).toUTCString();
  const policy = v.policy
    ? `<ImmutabilityPolicyUntilDate>${new Date(v.policy.untilMs).toUTCString()}</ImmutabilityPolicyUntilDate><ImmutabilityPolicyMode>${v.policy.mode}</ImmutabilityPolicyMode>`
    : '';
  return (
    `<Blob><Name>${escapeXml(name)}</Name><VersionId>${v.versionId}</VersionId><Properties>` +
    `<Creation-Time>${when}</Creation-Time><Last-Modified>${when}</Last-Modified><Etag>0x8D0000000000000</Etag>` +
    `<Content-Length>${v.size}</Content-Length><Content-Type>application/octet-stream</Content-Type><BlobType>BlockBlob</BlobType>` +
    `<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted>${policy}</Properties></Blob>`
  );
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
