// `npm start` builds the web app only when dist/web is missing or older than its sources, so the
// first start pays for the build once and later starts take seconds. Plain JavaScript, run by
// node itself: through tsx this check alone took seconds of every start.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const builtIndex = path.join(root, 'dist/web/index.html');
const sources = ['web', 'src/common', 'vite.config.ts', 'package-lock.json'];

/** @param {string} entry */
function newestChange(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, child)));
  return newest;
}

const builtAt = fs.existsSync(builtIndex) ? fs.statSync(builtIndex).mtimeMs : 0;
const changedAt = Math.max(
  ...sources
    .map((source) => path.join(root, source))
    .filter(fs.existsSync)
    .map(newestChange),
);
if (changedAt > builtAt) {
  console.log('building the web app (once; later starts skip this) ...');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}
