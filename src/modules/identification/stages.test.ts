import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A query walks through identification one way (docs/identification.md, "The stages"): each file
 * may import only files listed before it here, so no stage calls back into an earlier one.
 * dependency-cruiser checks the modules and cycles; this checks the order inside the module.
 */
const stages: [stage: string, files: string[]][] = [
  ['shared caps and tables', ['limits.ts', 'schema.ts']],
  ['read the text', ['latin-words.ts', 'caller-query.ts']],
  ['match words', ['word-match.ts', 'vocabulary.ts', 'readings.ts', 'caller-description.ts']],
  ['fetch candidates', ['candidates.ts', 'find-by-identifiers.ts', 'namesakes.ts', 'find-by-words.ts']],
  ['fit and rank', ['candidate-fit.ts']],
  [
    'apply the answers, choose the question, say what fits nobody',
    ['answers.ts', 'next-question.ts', 'not-fitting.ts'],
  ],
  ['orchestration and HTTP', ['identify.ts', 'answer-limit.ts', 'routes.ts']],
];

const order = stages.flatMap(([stage, files]) => files.map((file) => ({ stage, file })));
const folder = import.meta.dirname;
const productionFiles = fs.readdirSync(folder).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

function localImports(file: string): string[] {
  const text = fs.readFileSync(path.join(folder, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'/g)].map((match) => match[1]!);
  return specifiers.filter((specifier) => specifier.startsWith('./')).map((specifier) => specifier.slice(2));
}

describe('the stages of identification', () => {
  it('give every file of the module a place in the order', () => {
    expect(productionFiles.filter((file) => !order.some((entry) => entry.file === file))).toEqual([]);
  });

  it('let a file import only files of its own or an earlier stage listed before it, never the quality set', () => {
    const backwards: string[] = [];
    for (const [at, { stage, file }] of order.entries()) {
      if (!productionFiles.includes(file)) continue;
      for (const imported of localImports(file)) {
        const target = order.findIndex((entry) => `${entry.file.replace(/\.ts$/, '')}.js` === imported);
        if (target < 0 || target >= at) {
          backwards.push(`${file} (${stage}) imports ./${imported}${target < 0 ? '' : ` (${order[target]!.stage})`}`);
        }
      }
    }
    expect(backwards).toEqual([]);
  });
});
