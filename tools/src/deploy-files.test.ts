import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../apps/api/src/config/config';

/**
 * No container runtime here, so the deployment files are checked by reading them: ports, probe
 * paths, env names the config really reads (and a valid production config from them), the
 * migrate-before-start order, TLS + HSTS, WebSocket upgrade and sticky-free routing.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML of several manifest shapes, read field by field
type Json = Record<string, any>;

/** Env names the process uses without going through the config (SDKs and Node itself). */
const NOT_CONFIG = new Set(['NODE_ENV', 'NODE_EXTRA_CA_CERTS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
const SAMPLES: Record<string, string> = {
  MARIADB_PASSWORD: 'sample-password',
  S3_ACCESS_KEY: 'sample-access',
  S3_SECRET_KEY: 'sample-secret',
  STRIPE_SECRET_KEY: 'sk_test_sample',
  STRIPE_WEBHOOK_SECRET: 'whsec_sample',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_sample',
  JWT_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  ENCRYPTION_KEYS: `kek1:${Buffer.alloc(32, 2).toString('base64')}`,
};
const interpolate = (v: string) =>
  v.replace(/\$\{([A-Z_]+)(:\?[^}]*)?\}/g, (_, name: string) => SAMPLES[name] ?? '');

/** Loads the config from `env`, recording which names it read; fails on names it never reads. */
function checkEnv(env: Record<string, string>) {
  const readNames = new Set<string>();
  const tracked = new Proxy(env, {
    get(target, key) {
      if (typeof key === 'string') readNames.add(key);
      return target[key as string];
    },
  });
  const config = loadConfig(tracked, ROOT);
  const unknown = Object.keys(env).filter((k) => !readNames.has(k) && !NOT_CONFIG.has(k));
  expect(unknown, 'env names the config never reads').toEqual([]);
  return config;
}

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const stages = text.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  it('is multi-stage; the runtime takes production dependencies only and runs as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const prodStage = stages.find((s) => /^\S+ AS prod-deps/.test(s)) ?? '';
    expect(prodStage).toMatch(/npm (prune|ci) .*--omit=dev/);
    expect(runtime).toMatch(/COPY --from=prod-deps .*node_modules/);
    expect(runtime).not.toMatch(/COPY --from=(deps|build) .*node_modules/);
    const user = /^USER (\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('exposes PORT, checks /healthz on it, and never migrates by itself', () => {
    const port = /PORT=(\d+)/.exec(runtime)?.[1];
    expect(runtime).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
    expect(runtime).toMatch(new RegExp(`HEALTHCHECK[\\s\\S]*127\\.0\\.0\\.1:${port}/healthz`));
    expect(runtime).toMatch(/MIGRATE_ON_START=false/);
    expect(runtime).toMatch(/CMD \[.*apps\/api\/src\/server\.ts"\]/);
    expect(existsSync(join(ROOT, '.dockerignore'))).toBe(true);
    expect(read('.dockerignore')).toMatch(/node_modules/);
  });
});

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as Json;
  const services = compose.services as Record<string, Json>;
  const apis = Object.keys(services).filter((n) => /^api-\d+$/.test(n));

  it('runs two API instances with MariaDB, Redis, the event stream and the search cluster', () => {
    expect(apis.length).toBe(2);
    for (const s of ['nginx', 'mariadb', 'redis', 'kafka', 'opensearch', 'migrate'])
      expect(services[s]).toBeDefined();
  });

  it('gives each instance env the config reads, forming a valid production config pointing at those services', () => {
    const ids = new Set<string>();
    for (const name of apis) {
      const env = Object.fromEntries(
        Object.entries(services[name]?.environment as Record<string, string>).map(([k, v]) => [
          k,
          interpolate(String(v)),
        ]),
      );
      const config = checkEnv(env);
      expect(config.profile).toBe('production');
      expect(config.migrateOnStart).toBe(false);
      ids.add(config.cluster.instanceId);
      const hostOf = (url: string) => new URL(url.replace(/^kafka:\/\/([^,]+).*/, 'http://$1')).hostname;
      for (const url of [
        config.databases.inventory.url,
        config.cacheUrl,
        config.cluster.eventBusUrl,
        config.searchUrl,
      ])
        expect(services[hostOf(url)], url).toBeDefined();
    }
    expect(ids.size).toBe(apis.length);
  });

  it('migrates before any instance starts', () => {
    expect(((services.migrate as Json).command as string[]).join(' ')).toMatch(/tools\/src\/migrate\.ts/);
    for (const name of apis)
      expect(services[name]?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
  });

  it('puts nginx, with its config, in front of exactly those instances on PORT', () => {
    const mount =
      ((services.nginx as Json).volumes as string[]).find((v) => v.includes('carebook.conf')) ?? '';
    const file = mount.split(':')[0]?.replace(/^\.\//, '') ?? '';
    expect(existsSync(join(ROOT, file))).toBe(true);
    const conf = read(file);
    const upstream = /upstream carebook_api \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    const servers = [...upstream.matchAll(/server (\S+?):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    const port = services[apis[0] as string]?.environment.PORT;
    expect(servers.sort()).toEqual(apis.map((a) => `${a}:${port}`).sort());
  });
});

describe('nginx configuration', () => {
  const conf = read('deploy/nginx/carebook.conf');
  it('terminates TLS with HSTS and sends plain HTTP to HTTPS', () => {
    expect(conf).toMatch(/listen 443 ssl;/);
    expect(conf).toMatch(/ssl_protocols TLSv1\.2 TLSv1\.3;/);
    const maxAge = Number(/Strict-Transport-Security "max-age=(\d+)/.exec(conf)?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(31_536_000);
    expect(conf).toMatch(/listen 80;[\s\S]*return 301 https:\/\/\$host\$request_uri;/);
  });
  it('upgrades WebSockets on the API socket path and routes without stickiness', () => {
    const ws = /location = \/api\/v1\/ws \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    expect(ws).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(ws).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(conf).not.toMatch(/^\s*(ip_hash|hash|sticky)\b/m);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
  });
});

describe('Kubernetes manifests', () => {
  const dir = join(ROOT, 'deploy/k8s');
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => ({ file: f, doc: d.toJS() as Json })),
    );
  const kind = (k: string) => docs.filter((d) => d.doc?.kind === k).map((d) => d.doc);
  const one = (k: string) => {
    const all = kind(k);
    expect(all.length, k).toBe(1);
    return all[0] as Json;
  };
  const deployment = one('Deployment');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const configMap = one('ConfigMap');
  const secret = one('Secret');
  const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
    Object.entries(selector).every(([k, v]) => labels[k] === v);

  it('lists every manifest in the kustomization', () => {
    const k = one('Kustomization');
    for (const f of k.resources as string[]) expect(existsSync(join(dir, f)), f).toBe(true);
  });

  it('probes /healthz (liveness) and /readyz (readiness) on the container port the config listens on', () => {
    const port = Number(configMap.data.PORT);
    const named = Object.fromEntries(container.ports.map((p: Json) => [p.name, p.containerPort]));
    const resolve = (p: string | number) => (typeof p === 'number' ? p : named[p]);
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(resolve(container.livenessProbe.httpGet.port)).toBe(port);
    expect(resolve(container.readinessProbe.httpGet.port)).toBe(port);
  });

  it('configures the pods with env the config reads, forming a valid production config', () => {
    const env = {
      ...configMap.data,
      ...secret.stringData,
      JWT_KEYS: SAMPLES.JWT_KEYS,
      ENCRYPTION_KEYS: SAMPLES.ENCRYPTION_KEYS,
      INSTANCE_ID: 'pod-1',
    };
    for (const e of container.env) expect(e.name in env).toBe(true);
    const config = checkEnv(env);
    expect(config.profile).toBe('production');
    expect(config.migrateOnStart).toBe(false);
    const refs = container.envFrom.map((e: Json) => e.configMapRef?.name ?? e.secretRef?.name);
    expect(refs.sort()).toEqual([configMap.metadata.name, secret.metadata.name].sort());
  });

  it('migrates in a Job that runs before the pods, with the same image and settings', () => {
    const job = one('Job');
    const c = job.spec.template.spec.containers[0];
    expect(c.command.join(' ')).toMatch(/tools\/src\/migrate\.ts/);
    expect(c.image).toBe(container.image);
    expect(c.envFrom).toEqual(container.envFrom);
    expect(job.metadata.annotations['helm.sh/hook']).toMatch(/pre-install/);
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
  });

  it('scales with an HPA and keeps pods through disruptions, selecting the Deployment', () => {
    const hpa = one('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = one('PodDisruptionBudget');
    expect(matches(pdb.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('exposes the pods through a Service and an Ingress with TLS, HSTS, WebSockets and no affinity', () => {
    const service = one('Service');
    expect(matches(service.spec.selector, pod.metadata.labels)).toBe(true);
    expect(service.spec.sessionAffinity).toBe('None');
    const servicePort = service.spec.ports[0];
    expect(container.ports.map((p: Json) => p.name)).toContain(servicePort.targetPort);
    const ingress = one('Ingress');
    const a = ingress.metadata.annotations as Record<string, string>;
    expect(a['nginx.ingress.kubernetes.io/hsts']).toBe('true');
    expect(Number(a['nginx.ingress.kubernetes.io/hsts-max-age'])).toBeGreaterThanOrEqual(31_536_000);
    expect(a['nginx.ingress.kubernetes.io/force-ssl-redirect']).toBe('true');
    expect(Object.keys(a).some((k) => /affinity|sticky|session-cookie/.test(k))).toBe(false);
    expect(Number(a['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(300);
    expect(ingress.spec.tls[0].hosts).toContain(ingress.spec.rules[0].host);
    const paths = ingress.spec.rules[0].http.paths as Json[];
    expect(paths.map((p) => p.path)).toContain('/api/v1/ws');
    for (const p of paths) {
      expect(p.backend.service.name).toBe(service.metadata.name);
      expect(p.backend.service.port.name).toBe(servicePort.name);
    }
  });
});
