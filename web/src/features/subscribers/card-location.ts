/** The card of one subscriber's account; rows of the list are accounts, so one person may appear twice. */
export const cardPath = (subscriberId: number, accountId: number) =>
  `/subscribers/${subscriberId}?account=${accountId}`;

/** Carried from the list to the card, so "back" returns to the same filters and page. */
export interface CardLocationState {
  listSearch?: string;
}
