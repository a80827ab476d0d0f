import type { IdentifyQuery } from '../../../common/api/identification.js';
import { Random } from '../../../demo-data/random.js';
import { casing, yoToYe } from './forms.js';
import { Population } from './population.js';
import { recipes } from './recipes.js';
import type { SubscriberFacts } from './subscriber-facts.js';

/**
 * The labelled query set of issue 4 ("Measured quality, not hoped-for quality"): what callers say,
 * built from random subscribers of a demo database in every form (identifiers, names, addresses,
 * typos, ё written as е, abbreviations, mixes, namesakes), each with the subscriber it must find.
 * Whether a query fits one subscriber or many is counted in the data, never assumed, so the
 * "single fit" and "many fit" rules of the issue apply to what the words really say.
 */

/**
 * `first`: an exact identifier must put its subscriber first. `top5`: a query only one subscriber
 * fits must put them in the top 5. `narrows`: a query many fit must leave the subscriber alone or
 * among at most 5 after at most 2 suggested questions answered from their record.
 */
export type Expectation = 'first' | 'top5' | 'narrows';

export interface LabelledQuery {
  category: string;
  q: string;
  expectation: Expectation;
  subscriberId: number;
  /** Subscribers that fit what the words mean (typos undone): 1 makes a text query single-fit. */
  fitting: number;
  /** The record the caller answers questions from. */
  facts: SubscriberFacts;
  /** Answers given with the query, before any question: a street said again to correct the reading. */
  answers?: Omit<IdentifyQuery, 'q'>;
}

/**
 * The labelled set: each recipe draws its subscribers at random (seeded) from those it fits, and
 * says each query in a random case, with ё kept or written as е.
 */
export function generateQualitySet(all: readonly SubscriberFacts[], seed = 4): LabelledQuery[] {
  const population = new Population(all);
  const queries: LabelledQuery[] = [];
  for (const [index, recipe] of recipes.entries()) {
    const draw = new Random(seed * 1_000 + index);
    const eligible = all.filter(recipe.eligible);
    if (eligible.length === 0) continue;
    let made = 0;
    for (let tries = 0; made < recipe.count && tries < recipe.count * 20; tries++) {
      const facts = draw.pick(eligible);
      const said = recipe.make(facts, draw, population);
      if (!said) continue;
      made++;
      if (recipe.exact) {
        queries.push({
          category: recipe.category,
          q: said.q,
          expectation: 'first',
          subscriberId: facts.subscriberId,
          fitting: 1,
          facts,
        });
        continue;
      }
      // Latin and wrong-layout text keeps its case: Shift is part of how it was typed.
      let q = /[a-z]/i.test(said.q) ? said.q : casing(said.q, draw);
      if (draw.chance(0.5)) q = yoToYe(q);
      const fitting = population.count(said.meaning ?? {});
      queries.push({
        category: recipe.category,
        q,
        expectation: fitting <= 1 ? 'top5' : 'narrows',
        subscriberId: facts.subscriberId,
        fitting,
        facts,
        ...(said.answers ? { answers: said.answers } : {}),
      });
    }
  }
  return queries;
}

/** Subscribers that carry an exact identifier: a phone shared by a family names them all. */
export function identifierHolders(all: readonly SubscriberFacts[]): (identifier: string) => number {
  const population = new Population(all);
  return (identifier) => population.holders(identifier);
}
