// Boots a host: instance folder lock, database, migrations, first-start seed, plugin runtime, HTTP app listening,
// then the installed plugins' workers. `paperclip start` calls this; later issues extend the returned app.
import { mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { type Logger, pino } from "pino";
import pinoPretty from "pino-pretty";
import { type AgentRuntime, createAgentRuntime, executorOptionsFromEnv } from "./agents/index.js";
import { backupBeforeMigrations } from "./backup/pre-upgrade.js";
import { type BackupScheduler, scheduleBackups } from "./backup/schedule.js";
import { ClusterBus, nodeIdOf } from "./cluster/index.js";
import { createHostPlugins, type HostPlugins } from "./composition/host-plugins.js";
import { assertBindAllowed, type HostConfig } from "./config.js";
import { type Database, openDatabase } from "./db/database.js";
import { acquireFolderLock, type FolderLock } from "./db/folder-lock.js";
import { runMigrations } from "./db/migrate.js";
import { PRIVATE_DIR_MODE, PRIVATE_UMASK } from "./db/private-files.js";
import { seedDemoCompany } from "./domain/seed.js";
import { createServices, type DomainServices } from "./domain/services.js";
import { buildApp } from "./http/app.js";
import { authSecretFor } from "./http/auth/auth-secret.js";
import { relayLiveUpdates } from "./http/live-updates-relay.js";
import { registerObservabilityRoutes } from "./http/observability-routes.js";
import { registerPluginRoutes } from "./http/plugins/index.js";
import { registerBackupRoutes } from "./http/routes/backups.js";
import { BUILD_COMMAND, registerWebApp } from "./http/web-app.js";
import { createHostObservability, type HostObservability } from "./observability/index.js";
import { HOST_VERSION } from "./version.js";

export interface RunningHost {
  readonly app: FastifyInstance;
  readonly db: Database;
  readonly services: DomainServices;
  readonly config: HostConfig;
  /** The plugin runtime and host services. */
  readonly plugins: HostPlugins;
  /** Executes agent runs; run events, run hub, agent keys. */
  readonly agents: AgentRuntime;
  /** Prometheus metrics and OpenTelemetry traces of this host (docs/observability.md). */
  readonly observability: HostObservability;
  /** http://host:port */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * JSON lines for machines (files, log shippers, tests); readable lines when a person watches a terminal.
 * `PAPERCLIP_LOG_FORMAT=json|pretty` overrides the choice.
 */
export function createLogger(level: HostConfig["logLevel"]): Logger {
  const format = process.env.PAPERCLIP_LOG_FORMAT ?? (process.stdout.isTTY ? "pretty" : "json");
  const options = { level, base: { service: "paperclip" } };
  if (format !== "pretty") return pino(options);
  return pino(
    options,
    pinoPretty({ colorize: true, translateTime: "HH:MM:ss", ignore: "pid,hostname,service" }),
  );
}

export function embeddedDatabaseDir(dataDir: string): string {
  return join(dataDir, "db");
}

/**
 * Fails (with the listen error, e.g. code EADDRINUSE) when `port` cannot be bound on `host`: checked before the
 * instance folder and database are touched, so a start on a busy port creates nothing. Port 0 is always free.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export async function startHost(
  config: HostConfig,
  logger: Logger = createLogger(config.logLevel),
): Promise<RunningHost> {
  assertBindAllowed(config);
  // Everything the host, npm and the workers create from here on is private (0600 files, 0700 folders);
  // PGlite's own explicit modes are fixed in db/database.ts.
  process.umask(PRIVATE_UMASK);
  await assertPortFree(config.host, config.port);
  // The first folder this start created (undefined when the instance folder existed): removed again if the start
  // fails, so a failed first start leaves nothing behind.
  const createdDir = mkdirSync(config.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  let lock: FolderLock;
  try {
    lock = acquireFolderLock(config.dataDir);
  } catch (error) {
    if (createdDir) rmSync(createdDir, { recursive: true, force: true });
    throw error;
  }
  let db: Database | null = null;
  let app: FastifyInstance | null = null;
  let plugins: HostPlugins | null = null;
  let agents: AgentRuntime | null = null;
  const observability = createHostObservability();
  try {
    db = config.databaseUrl
      ? await openDatabase({ kind: "postgres", url: config.databaseUrl })
      : await openDatabase({ kind: "pglite", dataDir: embeddedDatabaseDir(config.dataDir) });
    logger.info(
      { database: db.kind, location: db.location },
      db.kind === "pglite"
        ? `Using embedded PostgreSQL (PGlite) with data in ${db.location}`
        : `Using external PostgreSQL at ${db.location} (DATABASE_URL)`,
    );
    // An upgrade of an embedded database: a backup first, the way back if the new version misbehaves.
    await backupBeforeMigrations(db, config.dataDir, logger);
    const applied = await runMigrations(db);
    logger.info(
      { applied },
      applied.length
        ? `Applied ${applied.length} migration(s): ${applied.join(", ")}`
        : "Database schema is up to date",
    );
    const services = createServices(db);
    if (config.seedDemo) {
      const seed = await seedDemoCompany(services);
      if (seed.seeded) {
        logger.info(
          { companyId: seed.companyId },
          `First start: seeded a demo company "Acme Robotics" (${seed.issuePrefix}) with a goal, an agent, a project and 3 issues`,
        );
      }
    }
    agents = createAgentRuntime({
      db,
      services,
      logger,
      dataDir: config.dataDir,
      ...executorOptionsFromEnv(),
    });
    const nodeId = nodeIdOf(config.nodeId, config.port);
    plugins = await createHostPlugins({
      db,
      services,
      logger,
      cluster: new ClusterBus(db, logger.child({ node: nodeId }), nodeId),
      dataDir: config.dataDir,
      deploymentMode: config.deploymentMode,
      installExamples: config.seedDemo,
      agentRuns: agents,
      observability,
      runtime: { installer: { allowedScopes: config.pluginAllowedScopes } },
      sandbox: {
        enabled: config.pluginSandbox,
        disabledBy: "pluginSandbox setting (PAPERCLIP_PLUGIN_SANDBOX=off)",
      },
    });
    // Authenticated mode signs session cookies with PAPERCLIP_AUTH_SECRET or <dataDir>/auth-secret (made once).
    const appConfig =
      config.deploymentMode === "authenticated"
        ? { ...config, authSecret: authSecretFor(config.authSecret, config.dataDir) }
        : config;
    app = await buildApp({ db, config: appConfig, logger, services, agentRuntime: agents, observability });
    registerPluginRoutes(app, plugins);
    observability.attach({
      db,
      workers: plugins.runtime.workers,
      registry: plugins.runtime.registry,
      streams: plugins.streams,
    });
    registerObservabilityRoutes(app, { metrics: observability.metrics, plugins: plugins.runtime.registry });
    registerBackupRoutes(app, { db, dataDir: config.dataDir });
    // Company notices and run events reach browsers connected to the other nodes (docs/scale-out.md).
    relayLiveUpdates({
      cluster: plugins.cluster,
      companyEvents: app.hasDecorator("companyEvents") ? app.companyEvents : undefined,
      runs: agents.hub,
      logger,
    });
    // Last: the board's catch-all route answers only paths that no API or plugin route takes.
    const board = registerWebApp(app, { dir: config.webDir });
    // This node's row (cluster_nodes) before it listens or starts any work: a second live process under the same
    // node id stops here.
    await plugins.node.register();
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    logger.info(
      { url, version: HOST_VERSION, mode: config.deploymentMode },
      `Paperclip host ${HOST_VERSION} listening on ${url}`,
    );
    if (config.deploymentMode === "authenticated") await warnWithoutUsers(db, logger);
    if (board.built) logger.info({ webDir: board.dir }, `Board: open ${url}/ in a browser`);
    else
      logger.warn(
        { webDir: board.dir },
        `Board not built (no index.html in ${board.dir}): run \`${BUILD_COMMAND}\` (or npm start)`,
      );
    // …and the address it answers on (the lock file names it too, for `paperclip backup`).
    await plugins.node.register(url);
    lock.setUrl(url);
    // Agents run once the API they call answers, with its real address.
    agents.setApiUrl(url);
    await agents.start();
    // Workers start once the API answers; a plugin that fails goes to `error` without stopping the host.
    await plugins.start();
    logger.info(
      { node: nodeId },
      `Node ${nodeId} started: plugin workers, jobs, webhooks and event delivery running`,
    );
    const backups = startBackupSchedule(config, db, logger);
    const openDb = db;
    const openApp = app;
    const openPlugins = plugins;
    const openAgents = agents;
    let closing: Promise<void> | null = null;
    return {
      app: openApp,
      db: openDb,
      services,
      config,
      plugins: openPlugins,
      agents: openAgents,
      observability,
      url,
      close() {
        closing ??= (async () => {
          // Drain before anything closes: no new claims, work in flight finished, leases handed to other nodes.
          backups?.stop();
          await openPlugins.drain.drain("the host is stopping");
          // Runs next: their processes are killed and their ends recorded while streams and database are open.
          await openAgents.stop();
          await openApp.close();
          await openPlugins.stop();
          await openDb.close();
          await observability.close();
          lock.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await agents?.stop().catch(() => {});
    await app?.close().catch(() => {});
    await plugins?.stop().catch(() => {});
    await db?.close().catch(() => {});
    await observability.close().catch(() => {});
    lock.release();
    if (createdDir) rmSync(createdDir, { recursive: true, force: true });
    throw error;
  }
}

/** Scheduled backups of the embedded database; on PostgreSQL the setting is refused loudly (pg_dump is the way). */
function startBackupSchedule(config: HostConfig, db: Database, logger: Logger): BackupScheduler | null {
  if (!config.backupSchedule) return null;
  if (!db.snapshot) {
    logger.warn(
      `backupSchedule "${config.backupSchedule.text}" ignored: this host uses PostgreSQL; schedule pg_dump instead (docs/backups.md)`,
    );
    return null;
  }
  logger.info(
    { schedule: config.backupSchedule.text, keep: config.backupKeep },
    `Backups scheduled (${config.backupSchedule.text}, keeping ${config.backupKeep}) in ${config.dataDir}/backups`,
  );
  return scheduleBackups({
    db,
    dataDir: config.dataDir,
    schedule: config.backupSchedule,
    keep: config.backupKeep,
    logger,
  });
}

/** Authenticated mode with nobody to sign in: say how to create the first admin. */
async function warnWithoutUsers(db: Database, logger: Logger): Promise<void> {
  const [row] = await db.query<{ count: number }>(
    "auth_users_any",
    "SELECT count(*)::int AS count FROM auth_users",
    [],
  );
  if ((row?.count ?? 0) > 0) return;
  logger.warn(
    "Authenticated mode and no users yet: create the first (admin) user with " +
      '`paperclip user create --email you@example.com --name "Your Name" --password-stdin` ' +
      "(stop this host first when it uses the embedded database; docs/authentication.md)",
  );
}
