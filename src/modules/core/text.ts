import { type SQL, sql } from 'drizzle-orm';

/**
 * Lower case with ё folded to е: the form every name, street and vocabulary word is kept and
 * compared in. The database folds with the same rule (`translate(lower(x), 'ё', 'е')`), so both
 * engines and the in-memory vocabulary agree.
 */
export function fold(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е');
}

/** Escapes LIKE's wildcards so a caller's "%" or "_" is a letter, not a pattern (escape char `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

// Case and ё folding done in SQL, identically on PGlite and PostgreSQL (pg_trgm does not fold ё/е
// and PGlite runs the C collation), so search and sort keys never depend on locale.
export const folded = (column: string): SQL => sql.raw(`translate(lower(${column}), 'ё', 'е')`);
