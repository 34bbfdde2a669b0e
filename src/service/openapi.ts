// The OpenAPI 3 document of the daemon's HTTP API (SERVICE.md), served at /api/v1/openapi.json.
const error = { $ref: '#/components/schemas/Error' };
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const errors = { '401': { description: 'no or wrong bearer token', ...json(error) } };

export const OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'snaptier daemon', version: '1', description: 'Schedules, jobs, history and metrics of a snaptier daemon.' },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } } },
      Volume: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          repository: { type: 'string' },
          schedule: { type: 'string' },
          nextRun: { type: 'string', format: 'date-time', nullable: true },
          lastRun: { type: 'string', format: 'date-time', nullable: true },
          lastSuccess: { type: 'string', format: 'date-time', nullable: true },
          lastSnapshot: { type: 'string', nullable: true },
          running: { type: 'boolean' },
        },
      },
      Snapshot: {
        type: 'object',
        properties: { id: { type: 'string' }, volume: { type: 'string' }, parent: { type: 'string', nullable: true }, time: { type: 'string', format: 'date-time' }, size: { type: 'integer' }, labels: { type: 'object', additionalProperties: { type: 'string' } }, sourceId: { type: 'string' } },
      },
      Job: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          kind: { type: 'string', enum: ['backup', 'restore', 'forget', 'copy', 'verify', 'drill', 'tier'] },
          volume: { type: 'string', nullable: true },
          policy: { type: 'string', nullable: true },
          state: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'canceled'] },
          trigger: { type: 'string', enum: ['schedule', 'catch-up', 'api', 'retry'] },
          queuedAt: { type: 'string', format: 'date-time' },
          startedAt: { type: 'string', format: 'date-time', nullable: true },
          finishedAt: { type: 'string', format: 'date-time', nullable: true },
          progress: { type: 'object', properties: { bytesDone: { type: 'integer' }, bytesTotal: { type: 'integer' } } },
          result: { type: 'object', nullable: true, description: "the matching command's --json document" },
          error: { type: 'object', nullable: true, properties: { message: { type: 'string' }, code: { type: 'string' } } },
        },
      },
      JobRequest: {
        oneOf: [
          { type: 'object', required: ['kind', 'volume'], properties: { kind: { type: 'string', enum: ['backup'] }, volume: { type: 'string' } } },
          { type: 'object', required: ['kind', 'name'], properties: { kind: { type: 'string', enum: ['policy'] }, name: { type: 'string' } } },
          {
            type: 'object',
            required: ['kind', 'volume', 'snapshot', 'target'],
            properties: { kind: { type: 'string', enum: ['restore'] }, volume: { type: 'string' }, snapshot: { type: 'string' }, target: { type: 'string' } },
          },
        ],
      },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/healthz': {
      get: {
        security: [],
        responses: {
          '200': { description: 'every repository reachable', ...json({ type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } }) },
          '503': { description: 'a repository is unreachable', ...json({ type: 'object', properties: { status: { type: 'string', enum: ['degraded'] }, problems: { type: 'array', items: { type: 'string' } } } }) },
        },
      },
    },
    '/metrics': { get: { security: [], responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
    '/api/v1/volumes': { get: { responses: { '200': { description: 'the configured volumes', ...json({ type: 'array', items: { $ref: '#/components/schemas/Volume' } }) }, ...errors } } },
    '/api/v1/volumes/{name}/snapshots': {
      get: {
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'as snapshots --json, oldest first', ...json({ type: 'array', items: { $ref: '#/components/schemas/Snapshot' } }) }, '404': { description: 'no such volume', ...json(error) }, ...errors },
      },
    },
    '/api/v1/jobs': {
      get: {
        parameters: [
          { name: 'volume', in: 'query', schema: { type: 'string' } },
          { name: 'state', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer' } },
        ],
        responses: { '200': { description: 'jobs, newest first', ...json({ type: 'array', items: { $ref: '#/components/schemas/Job' } }) }, '400': { description: 'bad query', ...json(error) }, ...errors },
      },
      post: {
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/JobRequest' }) },
        responses: {
          '202': { description: 'queued', ...json({ type: 'object', properties: { id: { type: 'string' } } }) },
          '400': { description: 'bad request', ...json(error) },
          '404': { description: 'no such volume or policy', ...json(error) },
          '409': { description: "the volume's (or policy's) job is running", ...json(error) },
          ...errors,
        },
      },
    },
    '/api/v1/jobs/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'one job', ...json({ $ref: '#/components/schemas/Job' }) }, '404': { description: 'no such job', ...json(error) }, ...errors },
      },
      delete: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '202': { description: 'cancel requested', ...json({ type: 'object', properties: { id: { type: 'string' } } }) }, '404': { description: 'no such job', ...json(error) }, '409': { description: 'the job has finished', ...json(error) }, ...errors },
      },
    },
    '/api/v1/openapi.json': { get: { responses: { '200': { description: 'this document' }, ...errors } } },
  },
} as const;
