/**
 * npm run create-admin -- --login NAME --name "Full Name"
 *
 * A production install (NODE_ENV=production) starts with no demo data and no logins at all; this
 * makes its first administrator, who then creates everyone else in the web app. It opens the
 * database exactly as the server does (openForServing): on PGlite it takes the data folder's lock,
 * so it refuses while a server is running on the same folder, and it applies pending migrations.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config.js';
import { fromDatabaseError, Problem } from '../modules/core/problem.js';
import { createFirstAdmin } from '../modules/staff/service.js';
import { describeDatabase, openDatabaseForCommand, reportBadInput, UsageError } from './command.js';

const usage = `Usage: npm run create-admin -- --login NAME --name "Full Name"

Creates an administrator in the database the server uses (DATABASE_URL, or the PGlite folder
DATA_DIR, default ./data). The password (at least 12 characters) is read from the environment
variable LINEDESK_ADMIN_PASSWORD, or from the first line of standard input when it is not a
terminal, or else asked twice on the terminal without being shown.
On PGlite stop the server first: only one process may open the data folder.`;

// The same rule as the API's CreateStaffRequest, bounded to what a login field takes.
const LOGIN_PATTERN = /^[A-Za-z0-9._-]{2,64}$/;
const MIN_PASSWORD = 12;
const MAX_PASSWORD = 256;

function parseArguments(argv: string[]): { login: string; fullName: string } {
  let values: { login?: string; name?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { login: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
  if (values.login === undefined) throw new UsageError('--login is required');
  if (values.name === undefined) throw new UsageError('--name is required');
  if (!LOGIN_PATTERN.test(values.login)) {
    throw new UsageError(
      `--login "${values.login}" is not a login: 2 to 64 characters of Latin letters, digits, ".", "_" or "-"`,
    );
  }
  const fullName = values.name.trim();
  if (fullName.length === 0 || fullName.length > 200) throw new UsageError('--name must be 1 to 200 characters');
  if (/\p{Cc}/u.test(fullName)) throw new UsageError('--name must not contain control characters');
  // Logins are compared in lower case at sign-in (modules/staff/auth.ts), so they are stored so.
  return { login: values.login.toLowerCase(), fullName };
}

/** One line typed on the terminal, not echoed: readline edits the line, its echo goes nowhere. */
async function askHidden(prompt: string): Promise<string> {
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = readline.createInterface({ input: process.stdin, output: silent, terminal: true });
  process.stdout.write(prompt);
  try {
    return await new Promise<string>((resolve) => {
      rl.on('SIGINT', () => {
        process.stdout.write('\n');
        process.exit(130);
      });
      rl.question('', resolve);
    });
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

async function firstLineOfStdin(): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.LINEDESK_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    const line = await firstLineOfStdin();
    if (!line) throw new UsageError('no password: set LINEDESK_ADMIN_PASSWORD or run in a terminal');
    return line;
  }
  const password = await askHidden('Password: ');
  if (password.length < MIN_PASSWORD) return password; // refused below, without asking again
  const again = await askHidden('The same password again: ');
  if (again !== password) throw new UsageError('the two passwords differ');
  return password;
}

function checkPassword(password: string) {
  if (password.length < MIN_PASSWORD) throw new UsageError(`the password must be at least ${MIN_PASSWORD} characters`);
  if (password.length > MAX_PASSWORD) throw new UsageError(`the password must be at most ${MAX_PASSWORD} characters`);
}

async function main(): Promise<number> {
  let login: string;
  let fullName: string;
  let config: Config;
  let password: string;
  try {
    ({ login, fullName } = parseArguments(process.argv.slice(2)));
    config = loadConfig();
    password = await readPassword();
    checkPassword(password);
  } catch (error) {
    return reportBadInput('create-admin', error, usage);
  }

  const opened = await openDatabaseForCommand('create-admin', config);
  if (!opened) return 1;
  const { database, release, log } = opened;
  try {
    const id = await createFirstAdmin({ config, database, log, clock: () => new Date() }, login, fullName, password);
    console.log(`Created administrator "${login}" (${fullName}, id ${id}) in ${describeDatabase(config)}.`);
    console.log('Start the server and log in with this login and password; create the other staff there.');
    return 0;
  } catch (error) {
    // Another process creating the same login at the same moment loses on the unique index.
    const problem = error instanceof Problem ? error : fromDatabaseError(error);
    if (problem) {
      console.error(`create-admin: ${problem.title}. Nothing was changed.`);
      return 1;
    }
    throw error;
  } finally {
    await database.close().catch(() => {});
    release();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('create-admin failed:', error);
    process.exit(1);
  },
);
