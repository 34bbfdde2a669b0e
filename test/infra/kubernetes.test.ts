// infra/kubernetes: `kubectl kustomize` renders each overlay, and every rendered object, and every
// object the volume job's script creates from its templates, is valid against the Kubernetes API
// schemas (kubernetes-models, no download). The daemon runs as the service contract says; the
// volume job's RBAC grants what its script's kubectl calls need; every container is locked down.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as core from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const K8S = join(ROOT, 'infra/kubernetes');
const VOLUME_JOB = join(K8S, 'overlays/volume-job');

type Obj = any;

/** The schema of each apiVersion and kind we render or create. */
const MODELS: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'batch/v1': batch,
  'networking.k8s.io/v1': networking,
  'rbac.authorization.k8s.io/v1': rbac,
  'monitoring.coreos.com/v1': monitoring,
};

/** Validates against the API schema; throws naming the object and the fields at fault. */
function validate(obj: Obj): void {
  const Model = MODELS[obj.apiVersion]?.[obj.kind] as (new (o: Obj) => { validate(): void }) | undefined;
  if (!Model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}: add it to MODELS`);
  try {
    new Model(obj).validate();
  } catch (err) {
    throw new Error(`${obj.kind} ${obj.metadata?.name}: ${(err as Error).message}`);
  }
}

const rendered = new Map<string, string>();
/** `kubectl kustomize` of an overlay (once per overlay), as a fresh list of objects. */
function render(overlay: string): Obj[] {
  if (!rendered.has(overlay)) rendered.set(overlay, kustomize(overlay));
  return parseAllDocuments(rendered.get(overlay)!).map((d) => d.toJS());
}

function kustomize(overlay: string): string {
  const r = spawnSync('kubectl', ['kustomize', join(K8S, 'overlays', overlay)], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`kubectl kustomize ${overlay}: ${r.stderr}`);
  return r.stdout;
}

const containersOf = (podSpec: Obj): Obj[] => [...(podSpec.initContainers ?? []), ...podSpec.containers];
const byKind = (objs: Obj[], kind: string): Obj[] => objs.filter((o) => o.kind === kind);

/** The volume job's templates with their placeholders filled as backup-volume.sh fills them. */
const PLACEHOLDERS: Record<string, string> = {
  NAME: 'snaptier-db01-20261206010000',
  NAMESPACE: 'databases',
  PVC: 'data-postgres-0',
  VOLUME: 'db01',
  SNAPSHOT_CLASS: 'csi-snapclass',
  STORAGE_CLASS: 'fast-rbd',
  SIZE: '20Gi',
  HANDLE: '0001-0009-rook-ceph-0000000000000002-5b1c',
  IMAGE: 'registry.example.com/snaptier:0.1.0',
  REPOSITORY: 's3://snaptier-main/k8s/?region=eu-west-1',
  DEADLINE: '72000',
};
const templateFiles = readdirSync(join(VOLUME_JOB, 'templates'));
const template = (file: string): string => readFileSync(join(VOLUME_JOB, 'templates', file), 'utf8');
const fill = (text: string): string => text.replace(/@([A-Z_]+)@/g, (_, k: string) => PLACEHOLDERS[k] ?? `@${k}@`);
const script = readFileSync(join(VOLUME_JOB, 'backup-volume.sh'), 'utf8');

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
describe.skipIf(kubectl.status !== 0)('kustomize overlays (kubectl)', () => {
  const overlays = readdirSync(join(K8S, 'overlays'));

  it('has the daemon and the volume job', () => {
    expect(overlays.sort()).toEqual(['daemon', 'volume-job']);
  });

  it.each(overlays)('%s renders, and every object is valid against the Kubernetes schemas', (overlay) => {
    const objs = render(overlay);
    expect(objs.length).toBeGreaterThan(3);
    for (const o of objs) validate(o);
  });

  it.each(overlays)('%s: every container runs without privilege escalation, capabilities or a writable root', (overlay) => {
    const pods = render(overlay).flatMap((o) =>
      o.kind === 'Deployment' ? [o.spec.template.spec] : o.kind === 'CronJob' ? [o.spec.jobTemplate.spec.template.spec] : [],
    );
    expect(pods.length).toBe(1);
    for (const c of pods.flatMap(containersOf)) {
      expect(c.securityContext?.allowPrivilegeEscalation, c.name).toBe(false);
      expect(c.securityContext?.readOnlyRootFilesystem, c.name).toBe(true);
      expect(c.securityContext?.capabilities?.drop, c.name).toEqual(['ALL']);
      expect(c.image, c.name).toMatch(/^[\w.-]+(\/[\w.-]+)+:[\w.-]+$/); // kustomize set registry and tag
    }
  });

  describe('daemon', () => {
    const objs = render('daemon');
    const deployment = byKind(objs, 'Deployment')[0];
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const config = byKind(objs, 'ConfigMap')[0];
    const daemonConfig = parse(config.data['daemon.yml']);

    it('runs `snaptier daemon --config FILE` on the ConfigMap, as a non-root user, one replica at a time', () => {
      expect(container.args).toEqual(['daemon', '--config', '/etc/snaptier/daemon.yml']);
      const mount = container.volumeMounts.find((m: Obj) => m.mountPath === '/etc/snaptier/daemon.yml');
      expect(pod.volumes.find((v: Obj) => v.name === mount.name).configMap.name).toBe(config.metadata.name);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.strategy.type).toBe('Recreate');
    });

    it('keeps the state directory on a PVC and reads secrets from the Secret', () => {
      const state = container.volumeMounts.find((m: Obj) => m.mountPath === daemonConfig.stateDir);
      expect(pod.volumes.find((v: Obj) => v.name === state.name).persistentVolumeClaim.claimName).toBe(
        byKind(objs, 'PersistentVolumeClaim')[0].metadata.name,
      );
      const secrets = container.volumeMounts.find((m: Obj) => daemonConfig.tokenFile.startsWith(`${m.mountPath}/`));
      expect(pod.volumes.find((v: Obj) => v.name === secrets.name).secret.secretName).toBe('snaptier-secrets');
      for (const repo of Object.values(daemonConfig.repositories) as Obj[])
        expect(repo.passwordFile.startsWith(`${secrets.mountPath}/`)).toBe(true);
    });

    it('serves the port of `listen:` through the Service, scraped by the ServiceMonitor at /metrics', () => {
      const port = Number(daemonConfig.listen.split(':').pop());
      expect(container.ports[0].containerPort).toBe(port);
      const service = byKind(objs, 'Service')[0];
      expect(service.spec.ports[0].port).toBe(port);
      for (const [k, v] of Object.entries(service.spec.selector)) expect(deployment.spec.template.metadata.labels[k]).toBe(v);
      const monitor = byKind(objs, 'ServiceMonitor')[0];
      for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect(service.metadata.labels[k]).toBe(v);
      expect(monitor.spec.endpoints[0]).toMatchObject({ port: service.spec.ports[0].name, path: '/metrics' });
    });
    it('carries the alert rules of infra/prometheus/alerts.yml unchanged in its PrometheusRule', () => {
      const rule = byKind(objs, 'PrometheusRule')[0];
      const alerts = parse(readFileSync(join(ROOT, 'infra/prometheus/alerts.yml'), 'utf8'));
      expect(rule.spec.groups).toEqual(alerts.groups);
    });
  });

  describe('volume job', () => {
    const objs = render('volume-job');
    const cron = byKind(objs, 'CronJob')[0];
    const pod = cron.spec.jobTemplate.spec.template.spec;

    it('runs the script from its ConfigMap with the settings ConfigMap, one run at a time', () => {
      expect(cron.spec.concurrencyPolicy).toBe('Forbid');
      const [orchestrate] = pod.containers;
      const mount = orchestrate.volumeMounts.find((m: Obj) => orchestrate.command[1].startsWith(`${m.mountPath}/`));
      const scripts = byKind(objs, 'ConfigMap').find(
        (c) => c.metadata.name === pod.volumes.find((v: Obj) => v.name === mount.name).configMap.name,
      );
      expect(Object.keys(scripts.data).sort()).toEqual(['backup-volume.sh', ...templateFiles].sort());
      expect(scripts.data['backup-volume.sh']).toBe(script);
      const settings = byKind(objs, 'ConfigMap').find((c) => c.metadata.name === orchestrate.envFrom[0].configMapRef.name);
      // Every variable the script reads from the settings is set.
      for (const v of ['PVC', 'VOLUME', 'SNAPSHOT_CLASS', 'SNAPTIER_REPOSITORY', 'BACKUP_DEADLINE_SECONDS']) {
        expect(script).toContain(`$${v}`);
        expect(settings.data[v], v).toBeTruthy();
      }
      // The image of the backup Job is read from the first init container: it must be snaptier's.
      expect(script).toContain('{.spec.initContainers[0].image}');
      expect(pod.initContainers[0].image).toMatch(/\/snaptier:/);
    });

    it('creates a valid PVC and Job from its templates, and a VolumeSnapshot of the PVC', () => {
      const made = templateFiles.map((f) => parse(fill(template(f))));
      for (const o of made.filter((x) => x.kind !== 'VolumeSnapshot')) validate(o);
      const snapshot = made.find((o) => o.kind === 'VolumeSnapshot');
      expect(snapshot).toMatchObject({
        apiVersion: 'snapshot.storage.k8s.io/v1',
        spec: { volumeSnapshotClassName: PLACEHOLDERS.SNAPSHOT_CLASS, source: { persistentVolumeClaimName: PLACEHOLDERS.PVC } },
      });
      const pvc = made.find((o) => o.kind === 'PersistentVolumeClaim');
      expect(pvc.spec).toMatchObject({ volumeMode: 'Block', dataSource: { kind: 'VolumeSnapshot', name: snapshot.metadata.name } });
      const job = made.find((o) => o.kind === 'Job');
      const c = job.spec.template.spec.containers[0];
      expect(c.volumeDevices).toEqual([{ name: 'data', devicePath: '/dev/xvda' }]);
      expect(c.args.join(' ')).toContain(`backup --volume db01 --source /dev/xvda --source-id ${PLACEHOLDERS.HANDLE}`);
      expect(job.spec.template.spec.volumes.find((v: Obj) => v.name === 'data').persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
    });

    it("fills every template placeholder in the script's render function", () => {
      const used = new Set(templateFiles.flatMap((f) => [...template(f).matchAll(/@([A-Z_]+)@/g)].map((m) => m[1]!)));
      for (const p of used) expect(script, p).toContain(`s|@${p}@|`);
    });

    it('is a valid POSIX shell script', () => {
      const r = spawnSync('sh', ['-n', join(VOLUME_JOB, 'backup-volume.sh')], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    it("grants (and only grants) what the script's kubectl calls need", () => {
      /** The RBAC a kubectl verb on a resource needs. */
      const NEEDS: Record<string, string[]> = {
        create: ['create'],
        get: ['get'],
        delete: ['delete', 'get'],
        wait: ['get', 'list', 'watch'],
        annotate: ['get', 'patch'],
      };
      const RESOURCES: Record<string, string> = {
        volumesnapshot: 'volumesnapshots',
        volumesnapshotcontent: 'volumesnapshotcontents',
        pvc: 'persistentvolumeclaims',
        job: 'jobs',
        pod: 'pods',
      };
      const needed = new Set<string>();
      for (const m of script.matchAll(/kubectl (?:-n "\$NS" )?(\w+) (?:-f -|"?(?:job\/)?(\w+))/g)) {
        const [, verb, resource] = m;
        if (verb === 'logs') {
          for (const n of ['jobs:get', 'pods:list', 'pods/log:get']) needed.add(n);
          continue;
        }
        if (verb === 'create') continue; // `create -f -`: the templates' kinds, below
        expect(NEEDS[verb!], `kubectl ${verb}`).toBeDefined();
        expect(RESOURCES[resource!], `resource ${resource}`).toBeDefined();
        for (const v of NEEDS[verb!]!) needed.add(`${RESOURCES[resource!]}:${v}`);
      }
      for (const f of templateFiles)
        needed.add(`${RESOURCES[parse(fill(template(f))).kind.toLowerCase()] ?? `${parse(fill(template(f))).kind.toLowerCase()}s`}:create`);
      const granted = new Set(
        [...byKind(objs, 'Role'), ...byKind(objs, 'ClusterRole')].flatMap((r) =>
          r.rules.flatMap((rule: Obj) => rule.resources.flatMap((res: string) => rule.verbs.map((v: string) => `${res}:${v}`))),
        ),
      );
      expect([...granted].sort()).toEqual([...needed].sort());
      // The script's ServiceAccount is the one bound to both roles.
      const bindings = [...byKind(objs, 'RoleBinding'), ...byKind(objs, 'ClusterRoleBinding')];
      expect(bindings).toHaveLength(2);
      for (const b of bindings)
        expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: pod.serviceAccountName, namespace: cron.metadata.namespace }]);
    });
  });
});
