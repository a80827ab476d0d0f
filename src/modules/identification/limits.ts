/**
 * The caps every stage of identification shares (docs/identification.md, section 3). They live
 * apart so that an early stage (fetching) need not import a late one (the next question) for them.
 */

/**
 * The list in play is capped here: above it the next question is not computed from the answers'
 * split but is "the street", then "the house", and a whole street or surname is not read.
 */
export const LIST_IN_PLAY_CAP = 10_000;

/** Rows fetched at most per condition: one more than the cap tells "more than the cap". */
export const FETCH_CAP = LIST_IN_PLAY_CAP + 1;

/** Candidates shown to the operator at first, and how many more each "show more" adds. */
export const SHOWN = 20;

/**
 * At most this many are shown however often "show more" is pressed: past it the list in play is
 * narrowed by a question, not read (a common surname at 1,000,000 subscribers has thousands).
 */
export const SHOWN_MAX = 200;
