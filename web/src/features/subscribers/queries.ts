import type { SubscriberCard, SubscriberList, Tariff } from '@common/api/subscribers.ts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client.ts';
import { type ListFilters, type ListPage, listQuery } from './list-filters.ts';

export function useSubscriberList(filters: ListFilters, page: ListPage) {
  const query = listQuery(filters, page);
  return useQuery({
    queryKey: ['subscribers', 'list', query],
    queryFn: () => api.get<SubscriberList>(withQuery('/api/subscribers', { ...query })),
    // The previous page stays on screen while the next one loads: no flicker while typing.
    placeholderData: keepPreviousData,
  });
}

/**
 * One subscriber may hold several accounts (another flat, a dacha); `accountId` picks the one the
 * card shows, the server's choice otherwise. Every opening is audited by the server, so the card is
 * fetched on opening, not refreshed in the background.
 */
export const useSubscriberCard = (id: number, accountId: number | undefined) =>
  useQuery({
    queryKey: ['subscribers', 'card', id, accountId ?? 'main'],
    queryFn: () => api.get<SubscriberCard>(withQuery(`/api/subscribers/${id}`, { accountId })),
    staleTime: 0,
    // Each read is an audited opening: after the server comes back, only a card that failed is read again.
    refetchOnReconnect: (query) => query.state.status === 'error',
  });

export const useTariffs = () =>
  useQuery({ queryKey: ['tariffs'], queryFn: () => api.get<Tariff[]>('/api/tariffs'), staleTime: 10 * 60_000 });
