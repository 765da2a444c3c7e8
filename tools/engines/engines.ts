import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../free-port';

/**
 * The real engines from Maven Central, for tests (`apps/api/test/global-setup.ts`), the benchmark
 * and `npm run local-engines`: a single-node Apache Kafka 3.9 in KRaft mode and a single-node
 * OpenSearch 2.19, each a JVM of its own on free ports with its data in a temporary directory.
 * Maven resolves the jars (cached in ~/.m2); the classpath is cached per pom.xml content under
 * tools/engines/.classpath/. Java 17 (a JDK: the launchers are single-file Java sources) and
 * Maven must be on PATH.
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const POM = join(HERE, 'pom.xml');
const CACHE = join(HERE, '.classpath');

export type EngineName = 'kafka' | 'opensearch';
export type Logger = (line: string) => void;

/** Why the engines cannot run here ('' when java, javac and mvn are all on PATH). */
export function missingPrerequisites(): string {
  const missing = ['java', 'javac', 'mvn'].filter(
    (cmd) => spawnSync(cmd, ['-version'], { stdio: 'ignore' }).status !== 0,
  );
  return missing.length === 0 ? '' : `not on PATH: ${missing.join(', ')} (Java 17 JDK and Maven)`;
}

/** The engine's classpath, resolved by Maven once per pom.xml content (jars come from ~/.m2). */
export function resolveClasspath(engine: EngineName, log: Logger = () => {}): string {
  const pom = readFileSync(POM);
  const key = createHash('sha256').update(pom).digest('hex').slice(0, 16);
  const file = join(CACHE, `${engine}-${key}.cp`);
  if (existsSync(file)) {
    const cp = readFileSync(file, 'utf8').trim();
    if (cp.split(':').every((jar) => existsSync(jar))) return cp;
  }
  mkdirSync(CACHE, { recursive: true });
  log(`resolving ${engine} from Maven Central (cached in ~/.m2 afterwards)…`);
  const r = spawnSync(
    'mvn',
    ['-q', '-B', '-f', POM, '-P', engine, 'dependency:build-classpath', `-Dmdep.outputFile=${file}`],
    { encoding: 'utf8' },
  );
  if (r.status !== 0 || !existsSync(file))
    throw new Error(`mvn could not resolve ${engine}: ${(r.stdout + r.stderr).slice(-2000)}`);
  return readFileSync(file, 'utf8').trim();
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => Promise<boolean>, timeoutMs: number, child?: JavaProcess) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child?.exited) throw new Error(`${what}: the JVM exited (${child.exited}); see ${child.logFile}`);
    if (await ok().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; see ${child?.logFile}`);
    await pause(250);
  }
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** A JVM whose stdin is a pipe: when this Node process dies, the JVM sees EOF and exits. */
class JavaProcess {
  exited = '';
  private readonly child: ChildProcess;
  private readonly done: Promise<void>;

  constructor(
    args: string[],
    readonly logFile: string,
  ) {
    const out = openLog(logFile);
    this.child = spawn('java', args, { stdio: ['pipe', out, out] });
    this.done = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exited = signal ?? `code ${code}`;
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** SIGTERM (the engine shuts down cleanly), SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.done;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await this.done;
  }
}

const openLog = (file: string): number => openSync(file, 'a');

export interface KafkaOptions {
  /** JVM heap. Default 512m. */
  heap?: string;
  /** Extra server.properties lines. */
  properties?: Record<string, string | number | boolean>;
  log?: Logger;
}

/** A SASL/PLAIN user the broker accepts on its SASL_PLAINTEXT listener (tests of the env settings). */
export const KAFKA_SASL_USER = { username: 'carebook', password: 'carebook-secret' };

/**
 * A single-node Kafka 3.9 in KRaft mode (broker and controller in one JVM): storage formatted
 * with a random cluster id, internal topics with replication factor 1. Two client listeners:
 * PLAINTEXT (`brokers`) and SASL_PLAINTEXT with PLAIN (`saslBrokers`, user `KAFKA_SASL_USER`).
 */
export class KafkaBroker {
  private jvm: JavaProcess | undefined;

  private constructor(
    private readonly classpath: string,
    readonly dir: string,
    readonly port: number,
    readonly saslPort: number,
    private readonly heap: string,
  ) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  get saslBrokers(): string[] {
    return [`127.0.0.1:${this.saslPort}`];
  }

  get pid(): number {
    return this.jvm?.pid ?? -1;
  }

  static async start(options: KafkaOptions = {}): Promise<KafkaBroker> {
    const log = options.log ?? (() => {});
    const classpath = resolveClasspath('kafka', log);
    const dir = mkdtempSync(join(tmpdir(), 'carebook-kafka-'));
    const [port, saslPort, controllerPort] = [await freePort(), await freePort(), await freePort()];
    const { username, password } = KAFKA_SASL_USER;
    const props: Record<string, string | number | boolean> = {
      'process.roles': 'broker,controller',
      'node.id': 1,
      'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
      listeners: `PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      'advertised.listeners': `PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort}`,
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'PLAINTEXT',
      'listener.security.protocol.map':
        'PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
      'sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="${username}" password="${password}" user_${username}="${password}";`,
      'log.dirs': join(dir, 'data'),
      'num.partitions': 1,
      'offsets.topic.replication.factor': 1,
      'offsets.topic.num.partitions': 8,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'group.initial.rebalance.delay.ms': 0,
      'group.min.session.timeout.ms': 1000,
      'auto.create.topics.enable': false,
      'delete.topic.enable': true,
      ...options.properties,
    };
    const config = join(dir, 'server.properties');
    writeFileSync(
      config,
      `${Object.entries(props)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
    writeFileSync(
      join(dir, 'log4j.properties'),
      'log4j.rootLogger=WARN, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\n' +
        'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n' +
        'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n' +
        'log4j.logger.kafka.server.KafkaRaftServer=INFO\n',
    );
    const format = spawnSync(
      'java',
      ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', randomUUID(), '-c', config],
      { encoding: 'utf8' },
    );
    if (format.status !== 0) throw new Error(`kafka storage format failed: ${format.stdout}${format.stderr}`);
    const broker = new KafkaBroker(classpath, dir, port, saslPort, options.heap ?? '512m');
    await broker.resume();
    log(`Kafka 3.9 (KRaft) on 127.0.0.1:${port}, SASL/PLAIN on ${saslPort}, data in ${dir}`);
    return broker;
  }

  /** Starts the broker on the same ports and data (after `stop`/`kill`); resolves when it serves. */
  async resume(): Promise<void> {
    const jvm = new JavaProcess(
      [
        `-Xms${this.heap}`,
        `-Xmx${this.heap}`,
        '-XX:+UseSerialGC',
        `-Dlog4j.configuration=file:${join(this.dir, 'log4j.properties')}`,
        '-cp',
        this.classpath,
        join(HERE, 'ParentWatch.java'),
        'kafka.Kafka',
        join(this.dir, 'server.properties'),
      ],
      join(this.dir, 'kafka.log'),
    );
    this.jvm = jvm;
    await until(
      `Kafka on ${this.port}`,
      async () =>
        (await portOpen(this.port)) && readFileSync(jvm.logFile, 'utf8').includes('started (kafka.server'),
      120_000,
      jvm,
    );
  }

  /** Clean shutdown (SIGTERM). */
  async stop(): Promise<void> {
    await this.jvm?.stop();
  }

  /** SIGKILL: a crash. */
  async kill(): Promise<void> {
    await this.jvm?.kill();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface OpenSearchOptions {
  /** JVM heap. Default 512m. */
  heap?: string;
  log?: Logger;
}

/** A single-node OpenSearch 2.19 (discovery.type=single-node), HTTP on a free port. */
export class OpenSearchNode {
  private constructor(
    private readonly jvm: JavaProcess,
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.jvm.pid;
  }

  static async start(options: OpenSearchOptions = {}): Promise<OpenSearchNode> {
    const log = options.log ?? (() => {});
    const classpath = resolveClasspath('opensearch', log);
    const dir = mkdtempSync(join(tmpdir(), 'carebook-opensearch-'));
    mkdirSync(join(dir, 'config'));
    const [http, transport] = [await freePort(), await freePort()];
    const heap = options.heap ?? '512m';
    const jvm = new JavaProcess(
      [
        `-Xms${heap}`,
        `-Xmx${heap}`,
        '-XX:+UseSerialGC',
        '-Dlog4j2.formatMsgNoLookups=true',
        '-cp',
        classpath,
        join(HERE, 'OpenSearchLauncher.java'),
        dir,
        String(http),
        String(transport),
      ],
      join(dir, 'opensearch.log'),
    );
    const node = new OpenSearchNode(jvm, dir, http);
    await until(
      `OpenSearch on ${http}`,
      async () => {
        const r = await fetch(`${node.url}/_cluster/health?wait_for_status=yellow&timeout=1s`);
        return r.ok;
      },
      180_000,
      jvm,
    );
    log(`OpenSearch 2.19 on ${node.url}, data in ${dir}`);
    return node;
  }

  async stop(): Promise<void> {
    await this.jvm.stop();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
