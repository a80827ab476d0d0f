import { sql } from 'drizzle-orm';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { openForServing, StartupError } from '../db/startup.js';
import { generateDemoData } from '../demo-data/generate.js';
import { buildApp } from './app.js';

const log = pino({ level: process.env.LOG_LEVEL || 'info' });

function fail(message: string): never {
  log.fatal(message);
  console.error(`\nLinedesk did not start: ${message}\n`);
  process.exit(1);
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
    log.info(
      { seconds: result.seconds, counts: result.counts },
      'demo ISP ready: log in as l1, l2, l3, supervisor, tech or admin with password demo',
    );
  }

  const app = await buildApp({ config, database, log, clock: () => new Date() });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await app.close();
    await database.close();
    release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  log.info(`Linedesk on http://localhost:${config.port} (database: ${database.engine})`);
}

main().catch((error) => {
  log.fatal({ err: error }, 'start failed');
  console.error(error);
  process.exit(1);
});
