import type { AuditRow, AuditStaffMember } from '@common/api/audit.ts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client.ts';

export interface AuditFilters {
  staffId: string;
  subscriberId: string;
  action: string;
  /** Days as yyyy-mm-dd, both inclusive, in the browser's zone. */
  fromDay: string;
  toDay: string;
}

export const emptyAuditFilters: AuditFilters = { staffId: '', subscriberId: '', action: '', fromDay: '', toDay: '' };

const pageSize = 50;

const startOf = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);
const endOf = (day: string) => {
  if (!day) return undefined;
  const next = new Date(`${day}T00:00:00`);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
};

export function auditQuery(filters: AuditFilters) {
  return {
    staffId: filters.staffId || undefined,
    subscriberId: /^[1-9]\d{0,9}$/.test(filters.subscriberId.trim()) ? filters.subscriberId.trim() : undefined,
    action: filters.action || undefined,
    from: startOf(filters.fromDay),
    to: endOf(filters.toDay),
  };
}

/** The log, newest first, a page at a time: the next page is the rows older than the last one shown. */
export const useAuditLog = (filters: AuditFilters) =>
  useInfiniteQuery({
    queryKey: ['audit', auditQuery(filters)],
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditRow[]>(
        withQuery('/api/audit', { ...auditQuery(filters), limit: pageSize, beforeId: pageParam }),
        signal,
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.length === pageSize ? last.at(-1)?.id : undefined),
    staleTime: 0,
  });

export const useAuditStaff = () =>
  useQuery({ queryKey: ['audit', 'staff'], queryFn: () => api.get<AuditStaffMember[]>('/api/audit/staff') });
