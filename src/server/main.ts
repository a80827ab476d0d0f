import closeWithGrace from 'close-with-grace';
import { sql } from 'drizzle-orm';
import type pino from 'pino';
import { type Config, ConfigError, loadConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { openForServing, StartupError } from '../db/startup.js';
import { generateDemoData } from '../demo-data/generate.js';
import { type AsteriskAri, startAsteriskAri } from '../integrations/asterisk-ari/application.js';
import { ariBesideWebhook } from '../integrations/asterisk-ari/beside-webhook.js';
import { webhookPbx } from '../integrations/pbx-webhook/sender.js';
import { type RadiusAccounting, startRadiusAccounting } from '../integrations/radius/listener.js';
import { radiusNasRequests } from '../integrations/radius/nas-requests.js';
import { type SnmpIntegration, startSnmp } from '../integrations/snmp/start.js';
import { vocabularyOf } from '../modules/identification/vocabulary.js';
import { type JobRunner, startJobRunner } from '../modules/jobs/service.js';
import { AccessLineBatcher } from '../modules/network/access-line/batches.js';
import { buildApp } from './app.js';
import { serverJobs } from './jobs.js';
import { createLog } from './log.js';
import { buildMetricsServer } from './plugins/metrics.js';

const log = createLog(process.env.LOG_LEVEL || 'info');

function fail(message: string): never {
  log.fatal(message);
  console.error(`\nLinedesk did not start: ${message}\n`);
  process.exit(1);
}

/** On an empty database outside production: the demo ISP, so a new user has something to open. */
async function generateDemoIspIfEmpty(config: Config, database: Database, log: pino.Logger) {
  const [{ n: subscriberCount } = { n: 0 }] = await database.rows<{ n: number }>(
    sql`select count(*)::int as n from subscribers`,
  );
  if (subscriberCount === 0 && config.nodeEnv !== 'production') {
    log.info({ subscribers: config.demoSubscribers }, 'empty database: generating the demo ISP');
    let lastLogged = 0;
    const result = await generateDemoData(database, {
      subscribers: config.demoSubscribers,
      seed: 1,
      onProgress: (done, total, stage) => {
        if (Date.now() - lastLogged > 2000) {
          lastLogged = Date.now();
          log.info({ stage, done, total }, 'demo data');
        }
      },
    });
    // Fresh statistics, so the first queries on the new rows get good plans.
    await database.db.execute(sql`analyze`);
    log.info(
      { seconds: result.seconds, counts: result.counts },
      'demo ISP ready: log in as l1, l2, l3, supervisor, tech or admin with password demo',
    );
  }
}

async function main() {
  const config = (() => {
    try {
      return loadConfig();
    } catch (error) {
      if (error instanceof ConfigError) fail(`configuration ${error.message}`);
      throw error;
    }
  })();
  log.level = config.logLevel;

  const { database, release } = await openForServing(config, log).catch((error: Error) => {
    if (error instanceof StartupError || error instanceof DataDirLockedError) fail(error.message);
    throw error;
  });

  // Once the database is open, a failure must still close it and release the data folder, or
  // the next start would take it for a crash.
  const shutDownAfterFailure = async (error: Error): Promise<never> => {
    await database.close().catch(() => {});
    release();
    fail(error.message);
  };
  await generateDemoIspIfEmpty(config, database, log).catch(shutDownAfterFailure);
  // Loaded before the first call, so the first caller is not the one who waits for it.
  await vocabularyOf(database).catch(shutDownAfterFailure);

  const ctx = { config, database, log, clock: () => new Date() };
  // The live hub starts with the app (when it is ready) and stops with it (app.close, below).
  const app = await buildApp(ctx).catch(shutDownAfterFailure);
  let jobRunner: JobRunner | undefined;
  let asterisk: AsteriskAri | undefined;
  let radius: RadiusAccounting | undefined;
  let snmp: SnmpIntegration | undefined;
  const metricsListen = config.metrics.listen;
  const metrics = metricsListen ? await buildMetricsServer(config.metrics, log) : undefined;
  // `npm start` runs the server as `node --import tsx`, not through the tsx wrapper: on Ctrl-C the
  // wrapper killed the server before it released the data folder, so every start after a Ctrl-C
  // ran the checks that follow a crash.
  // On a signal (or an uncaught error, then exiting 1) the server stops the same way; a second
  // signal exits at once.
  closeWithGrace(
    {
      // A request stuck longer than this must not keep the server up; the data folder then stays
      // locked and the next start checks it as after a crash.
      delay: 10_000,
      logger: log,
      onTimeout: () => log.error('requests still running after 10 s: stopping without closing the database'),
    },
    async ({ signal, err }) => {
      if (err) log.error({ err }, 'unexpected error: stopping');
      log.info({ signal }, 'stopping: answering the requests in flight, then closing the database');
      await metrics?.close().catch(() => {});
      // No job starts from here on; the ones under way finish while the database is still open.
      await jobRunner?.stop().catch((error: Error) => log.error({ err: error }, 'stopping the job runner failed'));
      // Records that come from here on go unanswered, so the NAS sends them again to whoever listens.
      await radius?.close().catch((error: Error) => log.error({ err: error }, 'closing the RADIUS listener failed'));
      // Polls under way finish (their readings are written); traps from here on go to the other instances.
      await snmp?.close().catch((error: Error) => log.error({ err: error }, 'stopping SNMP failed'));
      // Gives up the ARI event WebSocket and its lock: another instance takes the calls over.
      await asterisk?.stop().catch((error: Error) => log.error({ err: error }, 'stopping the ARI application failed'));
      // Fastify's close waits for the requests in flight, so none loses its database mid-way.
      await app.close().catch((error: Error) => log.error({ err: error }, 'closing the HTTP server failed'));
      const closed = await database.close().then(
        () => true,
        (error: Error) => {
          log.error({ err: error }, 'closing the database failed');
          return false;
        },
      );
      // A database that did not close cleanly keeps the folder locked: the next start checks it.
      if (closed) release();
      log.info('stopped');
    },
  );

  await app.listen({ port: config.port, host: config.host }).catch(async (error: Error) => {
    await app.close().catch(() => {});
    return shutDownAfterFailure(error);
  });
  log.info(`Linedesk on http://localhost:${config.port} (database: ${database.engine})`);
  if (metricsListen && metrics) {
    await metrics.listen(metricsListen).catch(async (error: Error) => {
      await app.close().catch(() => {});
      return shutDownAfterFailure(
        new Error(`metrics on ${metricsListen.host}:${metricsListen.port}: ${error.message}`),
      );
    });
    log.info(`metrics on http://${metricsListen.host}:${metricsListen.port}/metrics`);
  }
  // Once the server is up: timers, sweeps and prunes, each run by one instance at a time.
  // With Asterisk's ARI configured its Stasis application runs in the one instance holding the lock
  // (docs/integrations/asterisk.md) and the commands about its calls go through ARI; the others go
  // as signed webhooks (docs/integrations/telephony.md), whose events endpoint works either way.
  if (config.ari) {
    asterisk = await startAsteriskAri(ctx, config.ari).catch(async (error: Error) => {
      await app.close().catch(() => {});
      return shutDownAfterFailure(new Error(`Asterisk ARI at ${config.ari?.url}: ${error.message}`));
    });
    log.info(
      { ariUrl: config.ari.url, ariApp: config.ari.app },
      'Asterisk through ARI: commands and the Stasis application',
    );
  }
  const radiusListen = config.radiusAccounting;
  if (radiusListen) {
    // The desk must not go down because the accounting port is taken (another instance on the
    // host, a FreeRADIUS): it says so loudly and the NASes' records wait for a listener.
    radius = await startRadiusAccounting(ctx, radiusListen).catch((error: Error) => {
      log.error(
        { err: error, port: radiusListen.port },
        `RADIUS accounting could not listen on udp ${radiusListen.host}:${radiusListen.port}: sessions are not received`,
      );
      return undefined;
    });
  }
  // Switches and OLTs: polled (each node by one instance at a time) and heard through their traps;
  // what they say is written in batches (docs/integrations/snmp.md). Without a trap port the
  // polls go on.
  const accessLine = new AccessLineBatcher(ctx);
  snmp = await startSnmp(
    ctx,
    { record: (observations) => accessLine.applyMany(observations) },
    { trapListen: config.snmpTrapListen },
  );
  // Accounts' changes reach the NASes by RFC 5176 Disconnect/CoA (docs/integrations/radius.md).
  const jobs = serverJobs(
    asterisk ? ariBesideWebhook(ctx, asterisk.pbx, webhookPbx(ctx)) : webhookPbx(ctx),
    radiusNasRequests(ctx),
  );
  jobRunner = startJobRunner(ctx, jobs.handlers, { every: jobs.every });
}

main().catch((error) => {
  log.fatal({ err: error }, 'start failed');
  console.error(error);
  process.exit(1);
});
