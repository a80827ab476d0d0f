import type { AccountState, SubscriberListQuery } from '@common/api/subscribers.ts';
import { accountStates } from './account-states.ts';

/**
 * The list's filters live in the address bar: "back" from a card returns to the same search,
 * and an operator can send a colleague the link. Anything malformed in the URL is dropped.
 */
export interface ListFilters {
  surname: string;
  street: string;
  house: string;
  accountNumber: string;
  state: AccountState | '';
  tariffId: string;
  kind: 'person' | 'organisation' | '';
  inDebt: boolean;
}

export const pageSize = 50;

/**
 * Which page is shown: the server pages by cursor (the row a page starts after or ends before,
 * taken from its last answer) and the number is only for the operator to read.
 */
export interface ListPage {
  cursor: string;
  number: number;
}
export const firstPage: ListPage = { cursor: '', number: 1 };
// The shape SubscriberListQuery.cursor accepts; the server still checks that it wrote it.
const cursorShape = /^[A-Za-z0-9_-]{1,2000}$/;
const maxPageNumber = 1_000_000;

export const emptyFilters: ListFilters = {
  surname: '',
  street: '',
  house: '',
  accountNumber: '',
  state: '',
  tariffId: '',
  kind: '',
  inDebt: false,
};

// Same ceilings as SubscriberListQuery, so a pasted URL cannot make the server answer 400.
export const textLimits = { surname: 100, street: 100, house: 20, accountNumber: 20 } as const;
const textFields = Object.keys(textLimits) as (keyof typeof textLimits)[];

// Control characters are refused by the server (request.control_characters); a pasted value may carry them.
const controlCharacters = /[\u0000-\u001f\u007f]/g;
const cleanText = (value: string | null, limit: number) => (value ?? '').replace(controlCharacters, '').slice(0, limit);

export function filtersFromSearch(params: URLSearchParams): { filters: ListFilters; page: ListPage } {
  const filters: ListFilters = { ...emptyFilters };
  for (const field of textFields) filters[field] = cleanText(params.get(field), textLimits[field]);
  const state = params.get('state');
  if (accountStates.includes(state as AccountState)) filters.state = state as AccountState;
  const tariffId = params.get('tariffId') ?? '';
  if (/^[1-9]\d{0,8}$/.test(tariffId)) filters.tariffId = tariffId;
  const kind = params.get('kind');
  if (kind === 'person' || kind === 'organisation') filters.kind = kind;
  filters.inDebt = params.get('inDebt') === '1';
  const cursor = params.get('cursor') ?? '';
  const number = Number(params.get('page'));
  const page =
    cursorShape.test(cursor) && Number.isInteger(number) && number >= 2 && number <= maxPageNumber
      ? { cursor, number }
      : firstPage;
  return { filters, page };
}

export function searchFromFilters(filters: ListFilters, page: ListPage = firstPage): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of textFields) if (filters[field].trim()) params.set(field, filters[field]);
  if (filters.state) params.set('state', filters.state);
  if (filters.tariffId) params.set('tariffId', filters.tariffId);
  if (filters.kind) params.set('kind', filters.kind);
  if (filters.inDebt) params.set('inDebt', '1');
  if (page.cursor && page.number > 1) {
    params.set('page', String(page.number));
    params.set('cursor', page.cursor);
  }
  return params;
}

/** The API query for one page: blanks left out, text trimmed. */
export function listQuery(filters: ListFilters, page: ListPage = firstPage): SubscriberListQuery {
  const query: SubscriberListQuery = { limit: pageSize };
  if (page.cursor) query.cursor = page.cursor;
  for (const field of textFields) {
    const value = filters[field].trim();
    if (value) query[field] = value;
  }
  if (filters.state) query.state = filters.state;
  if (filters.tariffId) query.tariffId = Number(filters.tariffId);
  if (filters.kind) query.kind = filters.kind;
  if (filters.inDebt) query.inDebt = true;
  return query;
}
