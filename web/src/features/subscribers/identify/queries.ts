import type { Identification } from '@common/api/identification.ts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { type CallerSearch, givenAnswers, identifyPath, isBlank } from './caller-search.ts';

/**
 * Results as the operator types: each keystroke pause is a new query, and the one it supersedes is
 * cancelled (TanStack Query aborts the signal of a query nobody watches any more), so a slow answer
 * for "Сок" never lands over the answer for "Соколов". The previous list stays while the next loads.
 */
export function useCallerIdentification(search: CallerSearch, limit: number) {
  const q = search.q.trim();
  return useQuery({
    queryKey: ['subscribers', 'identify', q, Object.fromEntries(givenAnswers(search.answers)), limit],
    queryFn: ({ signal }) => api.get<Identification>(identifyPath(search, limit), signal),
    enabled: !isBlank(search),
    placeholderData: keepPreviousData,
  });
}
