import { screenPaths } from '../../app/navigation.ts';

/** The card of one subscriber's account; rows of the list are accounts, so one person may appear twice. */
export const cardPath = (subscriberId: number, accountId: number) =>
  `/subscribers/${subscriberId}?account=${accountId}`;

/**
 * Carried from the screen that opened the card, so "back" (and Escape) returns to it with its
 * search intact: the list's filters and page, or the caller search with its answers.
 */
export interface CardLocationState {
  from?: { screen: 'list' | 'identify'; search: string };
}

/** Where the card's "back" leads; the list when the card was opened from a link or typed in. */
export function cardOrigin(state: unknown): { screen: 'list' | 'identify'; path: string } {
  const from = (state as CardLocationState | null)?.from;
  const screen = from?.screen === 'identify' ? 'identify' : 'list';
  const search = typeof from?.search === 'string' && from.search.startsWith('?') ? from.search : '';
  return { screen, path: `${screen === 'identify' ? screenPaths.identify : screenPaths.subscribers}${search}` };
}
