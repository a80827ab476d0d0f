/**
 * npm run demo-data -- --subscribers N --seed S [--today YYYY-MM-DD]
 *
 * Replaces the demo ISP in the configured database (DATABASE_URL, or the PGlite folder DATA_DIR)
 * with a freshly generated one, in one transaction: interrupted, it leaves the old data as it was.
 * Never in production: it empties subscribers, the network and staff.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { sql } from 'drizzle-orm';
import { type Config, loadConfig } from '../config.js';
import { dayOf } from '../demo-data/calendar.js';
import { generateDemoData } from '../demo-data/generate.js';
import { describeDatabase, openDatabaseForCommand, reportBadInput, UsageError } from './command.js';

const LIMITS = { min: 1_000, pglite: 100_000, postgres: 1_000_000 } as const;

const usage = `Usage: npm run demo-data -- [--subscribers N] [--seed S] [--today YYYY-MM-DD]

Replaces all demo data (subscribers, network, tariffs, staff logins) in the database the server
uses (DATABASE_URL, or the PGlite folder DATA_DIR, default ./data) with a generated demo ISP.
  --subscribers  1,000..100,000 on PGlite, up to 1,000,000 on PostgreSQL (default DEMO_SUBSCRIBERS, 20,000)
  --seed         0..4294967295 (default 1); the same seed and size give the same data
  --today        the day the history is counted back from (default: today)
On PGlite stop the server first: only one process may open the data folder.`;

interface Arguments {
  subscribers: number;
  seed: number;
  today?: string;
}

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  const text = raw.replaceAll('_', '').replaceAll(',', '');
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  const value = Number(text);
  if (value < min || value > max)
    throw new UsageError(
      `--${name} must be ${min.toLocaleString('en')}..${max.toLocaleString('en')}, got ${value.toLocaleString('en')}`,
    );
  return value;
}

function parseArguments(argv: string[], config: Config): Arguments {
  let values: { subscribers?: string; seed?: string; today?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        subscribers: { type: 'string' },
        seed: { type: 'string' },
        today: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const subscribers =
    values.subscribers === undefined
      ? config.demoSubscribers
      : wholeNumber('subscribers', values.subscribers, LIMITS.min, LIMITS.postgres);
  if (config.engine === 'pglite' && subscribers > LIMITS.pglite) {
    throw new UsageError(
      `${subscribers.toLocaleString('en')} subscribers is too many for the embedded database: use PostgreSQL (DATABASE_URL) for more than ${LIMITS.pglite.toLocaleString('en')}`,
    );
  }
  const seed = values.seed === undefined ? 1 : wholeNumber('seed', values.seed, 0, 0xffffffff);
  if (values.today !== undefined) {
    try {
      dayOf(values.today);
    } catch {
      throw new UsageError(`--today must be a date YYYY-MM-DD, got "${values.today}"`);
    }
  }
  return { subscribers, seed, today: values.today };
}

async function main(): Promise<number> {
  let config: Config;
  let args: Arguments;
  try {
    config = loadConfig();
    if (config.nodeEnv === 'production') {
      throw new UsageError(
        'refused: NODE_ENV=production. Demo data replaces subscribers and staff; it is never generated in production.',
      );
    }
    args = parseArguments(process.argv.slice(2), config);
  } catch (error) {
    return reportBadInput('demo-data', error, usage);
  }

  const opened = await openDatabaseForCommand('demo-data', config);
  if (!opened) return 1;
  const { database, release } = opened;
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | {value}/{total} subscribers | {stage} | {duration_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  console.log(
    `Generating a demo ISP of ${args.subscribers.toLocaleString('en')} subscribers (seed ${args.seed}) in ${describeDatabase(config)}; the old demo data is replaced.`,
  );
  bar.start(args.subscribers, 0, { stage: 'city' });
  try {
    const result = await generateDemoData(database, {
      ...args,
      replaceExisting: true,
      onProgress: (done, _total, stage) => bar.update(done, { stage }),
    });
    bar.stop();
    // Fresh statistics for the planner: autovacuum may be off or slow to notice a bulk load.
    await database.db.execute(sql`analyze`);
    const width = Math.max(...Object.keys(result.counts).map((table) => table.length));
    for (const [table, count] of Object.entries(result.counts)) {
      const seconds = result.insertSeconds[table];
      const spent = seconds === undefined ? '' : `  ${seconds.toFixed(1).padStart(7)} s writing`;
      console.log(`  ${table.padEnd(width)}  ${count.toLocaleString('en').padStart(11)}${spent}`);
    }
    console.log(`Done in ${result.seconds} s. Log in as l1, l2, l3, supervisor, tech or admin with password demo.`);
    return 0;
  } catch (error) {
    bar.stop();
    console.error(`demo-data: generation failed, nothing was changed: ${(error as Error).message}`);
    return 1;
  } finally {
    await database.close().catch(() => {});
    release();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('demo-data failed:', error);
    process.exit(1);
  },
);
