import type {
  AccessLineChange,
  AccessLinePanel,
  PortBounceRequest,
  PortBounceResult,
} from '@common/api/access-line.ts';
import type { NasAnswer, SessionActionRequest, SessionPanel } from '@common/api/nas-sessions.ts';
import type {
  AccountChangeRequest,
  AccountChangeResult,
  SubscriberCard,
  SubscriberList,
  Tariff,
} from '@common/api/subscribers.ts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client.ts';
import { lineChangesOf } from './card/access-line-view.ts';
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

const sessionKey = (subscriberId: number) => ['subscribers', 'session', subscriberId] as const;

/**
 * The card's line state. Unlike the card it is read again on every live wake-up of the 'session'
 * topic; `pollMs` keeps it from going stale while the live channel is down.
 */
export const useSessionPanel = (subscriberId: number, accountId: number, pollMs: number | false) =>
  useQuery({
    queryKey: [...sessionKey(subscriberId), accountId],
    queryFn: ({ signal }) =>
      api.get<SessionPanel>(withQuery(`/api/subscribers/${subscriberId}/session`, { accountId }), signal),
    staleTime: 0,
    refetchInterval: pollMs,
  });

/** Disconnect-Request or CoA-Request to the NAS; the answer is the NAS's (ACK, NAK, none). */
export function useSessionAction(subscriberId: number, accountId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: Omit<SessionActionRequest, 'accountId'>) =>
      api.post<NasAnswer>(`/api/subscribers/${subscriberId}/session/actions`, { ...request, accountId }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionKey(subscriberId) }),
  });
}

/** PATCH /api/subscribers/:id/account (administrators): only what changes is sent, with the reason. */
export function useChangeAccount(subscriberId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: AccountChangeRequest) =>
      api.patch<AccountChangeResult>(`/api/subscribers/${subscriberId}/account`, change),
    // The card shows the new state and tariff; the session panel what the NAS made of it.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['subscribers', 'card', subscriberId] }),
        queryClient.invalidateQueries({ queryKey: sessionKey(subscriberId) }),
      ]),
  });
}

const accessLineKey = (subscriberId: number) => ['subscribers', 'access-line', subscriberId] as const;

const accessLineQuery = (subscriberId: number, accountId: number) => ({
  queryKey: [...accessLineKey(subscriberId), accountId],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api.get<AccessLinePanel>(withQuery(`/api/subscribers/${subscriberId}/access-line`, { accountId }), signal),
  staleTime: 0,
});

/**
 * The card's access line (port, ONT, nodes, alerts). Read again on each live 'access-line'
 * wake-up of one of its nodes; `pollMs` keeps it from going stale while the live channel is down.
 */
export const useAccessLinePanel = (subscriberId: number, accountId: number, pollMs: number | false) =>
  useQuery({ ...accessLineQuery(subscriberId, accountId), refetchInterval: pollMs });

const noChanges: AccessLineChange[] = [];

/**
 * The line's changes (with the alerts raised and resolved) for the session timeline: the same
 * request as the panel's (one key, read once), kept fresh by the panel; none while it loads or if
 * it fails (the sessions still show).
 */
export const useAccessLineChanges = (subscriberId: number, accountId: number): AccessLineChange[] =>
  useQuery({ ...accessLineQuery(subscriberId, accountId), select: lineChangesOf }).data ?? noChanges;

/** ifAdminStatus down, then up, on the account's access port; the answer is the node's. */
export function usePortBounce(subscriberId: number, accountId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: Omit<PortBounceRequest, 'accountId'>) =>
      api.post<PortBounceResult>(`/api/subscribers/${subscriberId}/access-line/bounce`, { ...request, accountId }),
    // The port went down and up: the panel shows what the node says now (the session may have dropped too).
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: accessLineKey(subscriberId) }),
        queryClient.invalidateQueries({ queryKey: sessionKey(subscriberId) }),
      ]),
  });
}
