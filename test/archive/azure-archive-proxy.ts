// An HTTP proxy in front of Azurite that EMULATES Azure Blob rehydration from the Archive tier
// with a clock the test moves (Azurite sets tiers, but rehydrates at once). The proxy keeps each
// blob's tier and rehydration; blobs stay in Azurite. What it emulates is the documented REST
// behaviour (Set Blob Tier, Get Blob, Get Blob Properties, List Blobs):
// - Set Blob Tier (PUT ?comp=tier, x-ms-access-tier, x-ms-rehydrate-priority) is answered here:
//   to Archive at once (200); from Archive to Hot/Cool/Cold 202 and a rehydration that ends after
//   the priority's time (High 1 h, Standard 15 h); a second request while it runs 409
//   BlobBeingRehydrated; between online tiers 200;
// - Get Blob of an archived blob (rehydrating or not): 409 BlobArchived;
// - Get Blob Properties answers x-ms-access-tier (Archive until the rehydration ends) and
//   x-ms-archive-status: rehydrate-pending-to-hot while it runs;
// - List Blobs answers each blob's AccessTier (and ArchiveStatus).
// Set Blob Tier is not forwarded: the proxy does not check that the blob exists. Real
// rehydration times were not measured.
import { type Exchange, decodeXml, startBufferedProxy } from '../helpers/buffered-proxy.js';

const HOUR = 3_600_000;
const REHYDRATE_MS: Record<string, number> = { High: 1 * HOUR, Standard: 15 * HOUR };

interface BlobState {
  tier: string;
  /** A rehydration from Archive: to which tier, and when it is done. */
  rehydrating?: { to: string; readyAt: number };
}

export interface AzureArchiveLog {
  /** Set Blob Tier requests that asked to leave Archive, by blob path (container/name), whatever the answer. */
  rehydrateRequests: Map<string, number>;
  answers: { tier202: number; tier409: number; get409: number };
  gets: string[];
  heads: number;
}

export interface AzureArchiveProxy {
  /** http://127.0.0.1:PORT; the account's blob endpoint is this plus /devstoreaccount1. */
  endpoint: string;
  log: AzureArchiveLog;
  tierOf: (path: string) => string;
  advance: (ms: number) => void;
  until: (pred: (log: AzureArchiveLog) => boolean) => Promise<void>;
  close: () => Promise<void>;
}

export async function startAzureArchiveProxy(upstream: string): Promise<AzureArchiveProxy> {
  let now = Date.now();
  const blobs = new Map<string, BlobState>();
  const log: AzureArchiveLog = { rehydrateRequests: new Map(), answers: { tier202: 0, tier409: 0, get409: 0 }, gets: [], heads: 0 };
  /** The state as of now: a rehydration whose time has come is done. */
  const stateOf = (path: string): BlobState | undefined => {
    const s = blobs.get(path);
    if (s?.rehydrating && now >= s.rehydrating.readyAt) {
      s.tier = s.rehydrating.to;
      delete s.rehydrating;
    }
    return s;
  };

  const handle = ({ req, res, forward }: Exchange) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // /ACCOUNT/CONTAINER/BLOB...
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const container = parts[1] ?? '';
    const name = parts.slice(2).join('/');
    const path = `${container}/${name}`;
    const isBlob = name !== '';
    const method = req.method ?? 'GET';
    const comp = url.searchParams.get('comp');
    const common = { 'x-ms-request-id': '00000000-0000-0000-0000-000000000000', 'x-ms-version': String(req.headers['x-ms-version'] ?? '') };
    const reply = (status: number, headers: Record<string, string> = {}, code?: string, message = '') => {
      const xml = code ? Buffer.from(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`) : Buffer.alloc(0);
      res.writeHead(status, { ...common, ...headers, ...(code ? { 'x-ms-error-code': code, 'content-type': 'application/xml' } : {}), 'content-length': String(method === 'HEAD' ? 0 : xml.length) });
      res.end(method === 'HEAD' ? undefined : xml);
    };

    if (method === 'PUT' && isBlob && comp === 'tier') {
      const to = String(req.headers['x-ms-access-tier'] ?? '');
      const s = stateOf(path) ?? { tier: 'Hot' };
      blobs.set(path, s);
      if (s.tier === 'Archive' && to !== 'Archive') {
        log.rehydrateRequests.set(path, (log.rehydrateRequests.get(path) ?? 0) + 1);
        if (s.rehydrating) {
          log.answers.tier409++;
          return reply(409, {}, 'BlobBeingRehydrated', 'This operation is not permitted because the blob is being rehydrated.');
        }
        const priority = String(req.headers['x-ms-rehydrate-priority'] ?? 'Standard');
        s.rehydrating = { to, readyAt: now + (REHYDRATE_MS[priority] ?? REHYDRATE_MS.Standard!) };
        log.answers.tier202++;
        return reply(202);
      }
      s.tier = to;
      return reply(200);
    }

    if (method === 'GET' && isBlob && comp === null && stateOf(path)?.tier === 'Archive') {
      log.answers.get409++;
      return reply(409, {}, 'BlobArchived', 'This operation is not permitted on an archived blob.');
    }

    forward().then(
      (upRes) => {
        const status = upRes.status;
        const headers = { ...upRes.headers };
        let data = upRes.data;
        if (isBlob && method === 'PUT' && comp === null && status < 300) {
          const tier = req.headers['x-ms-access-tier'];
          blobs.set(path, { tier: typeof tier === 'string' ? tier : 'Hot' });
        }
        if (isBlob && method === 'DELETE' && status < 300) blobs.delete(path);
        if (isBlob && method === 'GET' && comp === null && status < 300) log.gets.push(path);
        if (isBlob && method === 'HEAD') {
          log.heads++;
          const s = stateOf(path);
          if (s) {
            headers['x-ms-access-tier'] = s.tier;
            headers['x-ms-access-tier-inferred'] = 'false';
            if (s.rehydrating) headers['x-ms-archive-status'] = `rehydrate-pending-to-${s.rehydrating.to.toLowerCase()}`;
            else delete headers['x-ms-archive-status'];
          }
          res.writeHead(status, headers);
          res.end();
          return;
        }
        if (!isBlob && method === 'GET' && comp === 'list' && status === 200) {
          const xml = data.toString().replace(/<Blob>([\s\S]*?)<\/Blob>/g, (whole, inner: string) => {
            const blobName = /<Name>([^<]*)<\/Name>/.exec(inner)?.[1];
            const s = blobName !== undefined ? stateOf(`${container}/${decodeXml(blobName)}`) : undefined;
            if (!s) return whole;
            let props = inner.replace(/<AccessTier>[^<]*<\/AccessTier>/, '').replace(/<AccessTierInferred>[^<]*<\/AccessTierInferred>/, '').replace(/<ArchiveStatus>[^<]*<\/ArchiveStatus>/, '');
            const extra = `<AccessTier>${s.tier}</AccessTier><AccessTierInferred>false</AccessTierInferred>${s.rehydrating ? `<ArchiveStatus>rehydrate-pending-to-${s.rehydrating.to.toLowerCase()}</ArchiveStatus>` : ''}`;
            props = props.replace('</Properties>', `${extra}</Properties>`);
            return `<Blob>${props}</Blob>`;
          });
          data = Buffer.from(xml);
        }
        delete headers['transfer-encoding'];
        res.writeHead(status, { ...headers, 'content-length': String(data.length) });
        res.end(data);
      },
      () => res.socket?.destroy(),
    );
  };

  const proxy = await startBufferedProxy(upstream, handle);
  return {
    endpoint: proxy.endpoint,
    log,
    tierOf: (path) => stateOf(path)?.tier ?? 'Hot',
    advance: (ms) => {
      now += ms;
    },
    until: (pred) => proxy.until(() => pred(log)),
    close: proxy.close,
  };
}
