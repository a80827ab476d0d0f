import type {
  Board,
  ContactDetail,
  Desk,
  EndContactRequest,
  NoteRequest,
  SetAgentState,
  SubscriberContacts,
} from '@common/api/contacts.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

const deskKey = ['contacts', 'desk'] as const;
const boardKey = ['contacts', 'board'] as const;

/**
 * The desk is refetched whole on each live wake-up; while the live channel is down, `pollMs`
 * keeps it from going stale (fallback-poll.ts; false: no polling).
 */
export const useDesk = (pollMs: number | false) =>
  useQuery({
    queryKey: deskKey,
    queryFn: ({ signal }) => api.get<Desk>('/api/desk', signal),
    staleTime: 0,
    refetchInterval: pollMs,
  });

export const useBoard = (pollMs: number | false) =>
  useQuery({
    queryKey: boardKey,
    queryFn: ({ signal }) => api.get<Board>('/api/board', signal),
    staleTime: 0,
    refetchInterval: pollMs,
  });

export const useSubscriberContacts = (subscriberId: number) =>
  useQuery({
    queryKey: ['contacts', 'subscriber', subscriberId],
    queryFn: ({ signal }) => api.get<SubscriberContacts>(`/api/subscribers/${subscriberId}/contacts`, signal),
    staleTime: 0,
  });

export const useContactDetail = (contactId: number | null) =>
  useQuery({
    queryKey: ['contacts', 'contact', contactId],
    queryFn: ({ signal }) => api.get<ContactDetail>(`/api/contacts/${contactId}`, signal),
    enabled: contactId !== null,
    staleTime: 0,
  });

/** Each desk command answers 204; the desk is read again at once (the live wake-up may come later). */
function useDeskCommand<Variables>(send: (variables: Variables) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSettled: () => queryClient.invalidateQueries({ queryKey: deskKey }),
  });
}

export const useSetAgentState = () =>
  useDeskCommand((request: SetAgentState) => api.put<void>('/api/desk/state', request));

export const useAcceptOffer = () =>
  useDeskCommand((contactId: number) => api.post<void>(`/api/desk/offers/${contactId}/accept`));

export const useHoldContact = () =>
  useDeskCommand(({ contactId, hold }: { contactId: number; hold: boolean }) =>
    api.post<void>(`/api/contacts/${contactId}/hold`, { hold }),
  );

export const useAddNote = () =>
  useDeskCommand(({ contactId, note }: { contactId: number; note: NoteRequest }) =>
    api.post<void>(`/api/contacts/${contactId}/notes`, note),
  );

export const useEndContact = () =>
  useDeskCommand(({ contactId, end }: { contactId: number; end: EndContactRequest }) =>
    api.post<void>(`/api/contacts/${contactId}/end`, end),
  );

export const useFinishAfterWork = () =>
  useDeskCommand((contactId: number) => api.post<void>(`/api/contacts/${contactId}/finish-after-work`));
