// The operator web app's initial JavaScript, gzipped: every script and modulepreload that
// dist/web/index.html loads before the first screen. Budget: 400 KB (docs/benchmarks.md).
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const WEB_JS_BUDGET_BYTES = 400 * 1024;

export function measureInitialJs(distDir = path.resolve(import.meta.dirname, '../dist/web')) {
  const html = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)].map((match) => match[1]!);
  const sizes = files.map((file) => {
    const content = fs.readFileSync(path.join(distDir, file.replace(/^\//, '')));
    return { file, raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
  });
  return { files: sizes, gzipTotal: sizes.reduce((sum, size) => sum + size.gzip, 0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, gzipTotal } = measureInitialJs();
  for (const file of files)
    console.log(`${file.file}  ${(file.raw / 1024).toFixed(1)} KB, ${(file.gzip / 1024).toFixed(1)} KB gzipped`);
  const verdict = gzipTotal <= WEB_JS_BUDGET_BYTES ? 'within' : 'OVER';
  console.log(`initial JS: ${(gzipTotal / 1024).toFixed(1)} KB gzipped (${verdict} the 400 KB budget)`);
}
