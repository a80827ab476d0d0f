import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// After a reboot a PID may belong to an unrelated process; the boot id tells the two apart.
function bootId(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

function ownerOf(content: string): { pid: number; boot: string } {
  const [pid, boot] = content.split(':');
  return { pid: Number(pid), boot: boot ?? 'unknown' };
}

/**
 * PGlite has no lock of its own on its data folder, and two processes writing one folder corrupt
 * it (docs/decisions.md, "Traps"). The lock file holds the owner's PID and boot id; a file left by a killed
 * process (PID not alive, or from an earlier boot) is taken over by an atomic rename, so two
 * processes starting at once cannot both take it.
 */
export function lockDataDir(dataDir: string): { release: () => void; tookOverStaleLock: boolean } {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'linedesk.lock');
  const mine = `${process.pid}:${bootId()}`;
  let tookOverStaleLock = false;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      fs.writeFileSync(lockPath, mine, { flag: 'wx' });
      const release = () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8') === mine) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      return { release, tookOverStaleLock };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let content: string;
    try {
      content = fs.readFileSync(lockPath, 'utf8');
    } catch {
      continue; // released meanwhile: try again
    }
    const owner = ownerOf(content);
    const sameBoot = owner.boot === bootId() || owner.boot === 'unknown';
    if (Number.isInteger(owner.pid) && owner.pid > 0 && sameBoot && processIsAlive(owner.pid)) {
      throw new DataDirLockedError(
        `The data folder ${dataDir} is in use by another Linedesk process (PID ${owner.pid}). ` +
          'Stop that process first, or start this one with another DATA_DIR or with DATABASE_URL.',
      );
    }
    const aside = `${lockPath}.stale-${process.pid}`;
    try {
      fs.renameSync(lockPath, aside);
    } catch {
      continue; // another process took it over first
    }
    if (fs.readFileSync(aside, 'utf8') !== content) {
      // We moved a fresh lock someone took after our read: put it back and look again.
      fs.renameSync(aside, lockPath);
      continue;
    }
    fs.unlinkSync(aside);
    tookOverStaleLock = true;
  }
  throw new DataDirLockedError(`Could not lock the data folder ${dataDir}`);
}
