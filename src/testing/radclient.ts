import { execFileSync } from 'node:child_process';

/** Debian's radclient (freeradius-utils): the real RADIUS client the integration tests drive; .ci/run installs it. */
export const radclientInstalled = (() => {
  try {
    execFileSync('radclient', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Says which tests skip without radclient: a skipped test must never pass unseen. */
export function warnIfRadclientMissing(tests: string): void {
  if (radclientInstalled) return;
  console.warn(
    `${tests} SKIPPED: radclient is not installed. Install Debian's freeradius-utils (apt-get install -y freeradius-utils); .ci/run does.`,
  );
}
