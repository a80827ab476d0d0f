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

/**
 * PGlite has no lock of its own on its data folder, and two processes writing one folder corrupt
 * it (DESIGN.md). The lock file holds the owner's PID; a file left by a killed process (its PID
 * no longer alive) is taken over.
 */
export function lockDataDir(dataDir: string): { release: () => void; tookOverStaleLock: boolean } {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'linedesk.lock');
  let tookOverStaleLock = false;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      const release = () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      return { release, tookOverStaleLock };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockPath, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processIsAlive(owner)) {
        throw new DataDirLockedError(
          `The data folder ${dataDir} is in use by another Linedesk process (PID ${owner}). ` +
            'Stop that process first, or start this one with another DATA_DIR or with DATABASE_URL.',
        );
      }
      fs.unlinkSync(lockPath);
      tookOverStaleLock = true;
    }
  }
  throw new DataDirLockedError(`Could not lock the data folder ${dataDir}`);
}
