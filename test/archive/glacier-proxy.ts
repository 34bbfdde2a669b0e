// An HTTP proxy in front of s3rver that EMULATES S3's archive storage classes (GLACIER,
// DEEP_ARCHIVE), which s3rver, Azurite and Ceph RGW 16 do not: objects stay in s3rver, and the
// proxy keeps each one's class and restore state, with a clock the test moves. What it emulates is
// S3's documented REST behaviour:
// - PutObject / CreateMultipartUpload with x-amz-storage-class record the class; CopyObject of a
//   key onto itself with a new x-amz-storage-class changes it (answered here; an archived object
//   not restored cannot be copied: 403 InvalidObjectState);
// - GetObject of an archived object without a finished restore: 403 InvalidObjectState;
// - RestoreObject (POST ?restore): 202 when it starts one, 409 RestoreAlreadyInProgress while it
//   runs, 200 once the copy is readable (its expiry moved); 403 InvalidObjectState for an object
//   not in an archive class;
// - HeadObject answers x-amz-storage-class, and x-amz-restore: ongoing-request="true" while
//   thawing, then ongoing-request="false", expiry-date="RFC 1123" until the copy expires;
// - ListObjects(V2) answers each key's StorageClass.
// Thaw times are the providers' stated upper bounds; nothing here was timed against AWS.
import { type Exchange, decodeXml, startBufferedProxy } from '../helpers/buffered-proxy.js';

export const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);
const HOUR = 3_600_000;
/** Time to thaw by class and RestoreObject tier (upper bounds of S3's documentation). */
const THAW_MS: Record<string, Record<string, number>> = {
  GLACIER: { Expedited: 5 * 60_000, Standard: 5 * HOUR, Bulk: 12 * HOUR },
  DEEP_ARCHIVE: { Standard: 12 * HOUR, Bulk: 48 * HOUR },
};

interface RestoreState {
  readyAt: number;
  expiresAt: number;
}

export interface GlacierLog {
  /** RestoreObject requests by key (the path after the bucket), whatever the answer. */
  restoreRequests: Map<string, number>;
  answers: { restore202: number; restore200: number; restore409: number; get403: number };
  /** GETs of object data by key that were forwarded (the object was readable). */
  gets: string[];
  /** HEADs by key. */
  heads: number;
}

export interface GlacierProxy {
  endpoint: string;
  log: GlacierLog;
  /** The emulated class of a key (bucket-relative, e.g. "repo/data/ab/ab..."), STANDARD when none was set. */
  classOf: (key: string) => string;
  /** The test's clock: emulated now is real start + what it advanced. */
  advance: (ms: number) => void;
  /** Resolves once `pred` holds, checked after every request the proxy answers. */
  until: (pred: (log: GlacierLog) => boolean) => Promise<void>;
  close: () => Promise<void>;
}

export async function startGlacierProxy(upstream: string): Promise<GlacierProxy> {
  let now = Date.now();
  const classes = new Map<string, string>();
  const restores = new Map<string, RestoreState>();
  const log: GlacierLog = { restoreRequests: new Map(), answers: { restore202: 0, restore200: 0, restore409: 0, get403: 0 }, gets: [], heads: 0 };
  const archived = (path: string) => ARCHIVE_CLASSES.has(classes.get(path) ?? 'STANDARD');
  const readable = (path: string) => {
    if (!archived(path)) return true;
    const r = restores.get(path);
    return r !== undefined && now >= r.readyAt && now < r.expiresAt;
  };

  const handle = ({ req, res, body, forward }: Exchange) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // Path style: /BUCKET/KEY; the bucket-relative key is the emulation's name for the object.
    const parts = url.pathname.split('/').slice(1);
    const path = parts.slice(1).map(decodeURIComponent).join('/');
    const isObject = path !== '';
    const method = req.method ?? 'GET';
    const reply = (status: number, headers: Record<string, string | string[] | undefined>, data: Buffer) => {
      const h = { ...headers };
      delete h['content-length'];
      delete h['transfer-encoding'];
      res.writeHead(status, { ...h, 'content-length': String(data.length) });
      res.end(data);
    };
    const error = (status: number, code: string, message: string) =>
      reply(status, { 'content-type': 'application/xml' }, Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><Key>${path}</Key></Error>`));

    if (method === 'POST' && isObject && url.searchParams.has('restore')) {
      log.restoreRequests.set(path, (log.restoreRequests.get(path) ?? 0) + 1);
      if (!archived(path)) return error(403, 'InvalidObjectState', 'Restore is not allowed for the object\'s current storage class');
      const days = Number(/<Days>(\d+)<\/Days>/.exec(body.toString())?.[1] ?? '1');
      const tier = /<Tier>(\w+)<\/Tier>/.exec(body.toString())?.[1] ?? 'Standard';
      const thaw = THAW_MS[classes.get(path)!]?.[tier];
      if (thaw === undefined) return error(400, 'InvalidArgument', `${tier} is not offered for ${classes.get(path)}`);
      const r = restores.get(path);
      if (r && now < r.readyAt) {
        log.answers.restore409++;
        return error(409, 'RestoreAlreadyInProgress', 'Object restore is already in progress');
      }
      if (r && now < r.expiresAt) {
        r.expiresAt = now + days * 24 * HOUR;
        log.answers.restore200++;
        return reply(200, {}, Buffer.alloc(0));
      }
      restores.set(path, { readyAt: now + thaw, expiresAt: now + thaw + days * 24 * HOUR });
      log.answers.restore202++;
      return reply(202, {}, Buffer.alloc(0));
    }

    if (method === 'PUT' && isObject && req.headers['x-amz-copy-source']) {
      const source = decodeURIComponent(String(req.headers['x-amz-copy-source']).replace(/^\//, '').split('?')[0]!);
      const target = `${parts[0]}/${path}`;
      const cls = req.headers['x-amz-storage-class'];
      if (source === target && typeof cls === 'string') {
        if (!readable(path)) return error(403, 'InvalidObjectState', 'The operation is not valid for the object\'s storage class');
        // The bytes stay in s3rver: a HEAD proves the object is there, then only the class changes.
        const headers = { ...req.headers, 'content-length': '0' };
        for (const h of ['x-amz-copy-source', 'x-amz-storage-class', 'x-amz-metadata-directive', 'content-type', 'content-md5']) delete headers[h];
        forward({ method: 'HEAD', path: url.pathname, headers, body: Buffer.alloc(0) }).then(
          (r) => {
            if (r.status === 404) return error(404, 'NoSuchKey', 'The specified key does not exist.');
            classes.set(path, cls);
            restores.delete(path);
            reply(200, { 'content-type': 'application/xml' }, Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult><ETag>${r.headers.etag ?? '"0"'}</ETag><LastModified>${new Date(now).toISOString()}</LastModified></CopyObjectResult>`));
          },
          () => error(500, 'InternalError', 'upstream HEAD failed'),
        );
        return;
      }
    }

    if (method === 'GET' && isObject && !readable(path)) {
      log.answers.get403++;
      return error(403, 'InvalidObjectState', 'The operation is not valid for the object\'s storage class');
    }

    const failed = { status: 502, headers: {}, data: Buffer.alloc(0) };
    void forward().catch(() => failed).then(({ status, headers: answered, data }) => {
      let headers: Record<string, string | string[] | undefined> = answered;
      if (status < 300 && isObject && (method === 'PUT' || (method === 'POST' && url.searchParams.has('uploads')))) {
        const cls = req.headers['x-amz-storage-class'];
        if (typeof cls === 'string') classes.set(path, cls);
        else if (!url.searchParams.has('partNumber')) classes.delete(path);
      }
      if (method === 'DELETE' && isObject && status < 300) {
        classes.delete(path);
        restores.delete(path);
      }
      if (method === 'GET' && isObject && status < 300) log.gets.push(path);
      if (method === 'HEAD' && isObject) {
        log.heads++;
        headers = { ...headers };
        delete headers['x-amz-storage-class'];
        const cls = classes.get(path);
        if (cls) headers['x-amz-storage-class'] = cls;
        const r = restores.get(path);
        if (archived(path) && r) {
          if (now < r.readyAt) headers['x-amz-restore'] = 'ongoing-request="true"';
          else if (now < r.expiresAt) headers['x-amz-restore'] = `ongoing-request="false", expiry-date="${new Date(r.expiresAt).toUTCString()}"`;
        }
        res.writeHead(status, headers);
        res.end();
        return;
      }
      if (method === 'GET' && !isObject && status === 200) {
        // A listing: each key's StorageClass as S3 would answer it.
        const xml = data.toString().replace(/<Contents>([\s\S]*?)<\/Contents>/g, (whole, inner: string) => {
          const key = /<Key>([^<]*)<\/Key>/.exec(inner)?.[1];
          const cls = key !== undefined ? classes.get(decodeXml(key)) : undefined;
          if (!cls) return whole;
          const withClass = /<StorageClass>/.test(inner) ? inner.replace(/<StorageClass>[^<]*<\/StorageClass>/, `<StorageClass>${cls}</StorageClass>`) : `${inner}<StorageClass>${cls}</StorageClass>`;
          return `<Contents>${withClass}</Contents>`;
        });
        return reply(status, headers, Buffer.from(xml));
      }
      reply(status, headers, data);
    });
  };

  const proxy = await startBufferedProxy(upstream, handle);
  return {
    endpoint: proxy.endpoint,
    log,
    classOf: (key) => classes.get(key) ?? 'STANDARD',
    advance: (ms) => {
      now += ms;
    },
    until: (pred) => proxy.until(() => pred(log)),
    close: proxy.close,
  };
}
