import type { LoginRequest, Me } from '@common/api/staff.ts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, isSessionOver, onSessionOver } from '../api/client.ts';
import { adoptIspTimeZone } from './timezone.ts';

export const meQueryKey = ['auth', 'me'] as const;

/**
 * How often an idle screen asks whether its session still lives: an administrator who revokes a
 * session (a fired employee, a stolen laptop) sees that browser drop to the login page within
 * this time, not at the operator's next click.
 */
const sessionCheckIntervalMs = 10_000;

async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me');
    adoptIspTimeZone(me.ispTimezone);
    return me;
  } catch (error) {
    if (isSessionOver(error)) return null;
    throw error;
  }
}

/** The signed-in staff member: `undefined` while unknown, `null` when nobody is signed in. */
export function useMeQuery() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: fetchMe,
    // Nobody signed in (the login page): nothing to watch.
    refetchInterval: (query) => (query.state.data ? sessionCheckIntervalMs : false),
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: 'always',
    staleTime: 0,
  });
}

/** Forgets everything fetched under the ended session, so the next person sees nothing of it. */
function forgetSession(queryClient: QueryClient) {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
  queryClient.setQueryData(meQueryKey, null);
}

interface SessionNotice {
  /** The session ended on the server (revoked, expired), not by the operator's own "Log out". */
  endedElsewhere: boolean;
  dismiss: () => void;
}

const SessionNoticeContext = createContext<SessionNotice>({ endedElsewhere: false, dismiss: () => {} });

/** Listens for "session over" from any API call and for the periodic check, and signs the browser out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [endedElsewhere, setEndedElsewhere] = useState(false);

  useEffect(
    () =>
      onSessionOver(() => {
        if (queryClient.getQueryData(meQueryKey)) setEndedElsewhere(true);
        forgetSession(queryClient);
      }),
    [queryClient],
  );

  const dismiss = useCallback(() => setEndedElsewhere(false), []);
  const notice = useMemo(() => ({ endedElsewhere, dismiss }), [endedElsewhere, dismiss]);
  return <SessionNoticeContext.Provider value={notice}>{children}</SessionNoticeContext.Provider>;
}

export const useSessionNotice = () => useContext(SessionNoticeContext);

export function useLogIn() {
  const queryClient = useQueryClient();
  const { dismiss } = useSessionNotice();
  return useMutation({
    mutationFn: (credentials: LoginRequest) => api.post<Me>('/api/auth/login', credentials),
    onSuccess: (me) => {
      adoptIspTimeZone(me.ispTimezone);
      dismiss();
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}

export function useLogOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/auth/logout'),
    // Signed out locally even if the server call fails: the operator asked to leave.
    onSettled: () => forgetSession(queryClient),
  });
}

const SignedInContext = createContext<Me | null>(null);
export const SignedInProvider = SignedInContext.Provider;

/** The signed-in staff member, for screens rendered inside the session guard. */
export function useSignedIn(): Me {
  const me = useContext(SignedInContext);
  if (!me) throw new Error('useSignedIn used outside the session guard');
  return me;
}
