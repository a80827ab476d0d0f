import type { SubscriberListItem } from '@common/api/subscribers.ts';
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useSignedIn } from '../../app/session.tsx';
import { currentLanguage, localeOf } from '../../i18n/index.ts';
import { formatRubles } from '../../ui/format.ts';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { useAddressBarSearch } from '../../ui/use-address-bar-search.ts';
import { AccountStateBadge } from './AccountStateBadge.tsx';
import { accountStates } from './account-states.ts';
import { type CardLocationState, cardPath } from './card-location.ts';
import {
  emptyFilters,
  filtersFromSearch,
  firstPage,
  type ListFilters,
  type ListPage,
  searchFromFilters,
  textLimits,
} from './list-filters.ts';
import { useSubscriberList, useTariffs } from './queries.ts';

const noWrap = { whiteSpace: 'nowrap' } as const;

// Typing pauses this long before the search runs; Enter runs it at once.
const typingPauseMs = 350;

export function SubscriberListPage() {
  const { t } = useTranslation();
  // The server leaves balances out for field technicians and refuses them the debt filter.
  const seesMoney = useSignedIn().role !== 'tech';
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams, writeSearch] = useAddressBarSearch((params) => setDraft(filtersFromSearch(params).filters));
  const applied = filtersFromSearch(searchParams);
  const [draft, setDraft] = useState<ListFilters>(applied.filters);
  const [debouncedDraft] = useDebouncedValue(draft, typingPauseMs);
  const tbody = useRef<HTMLTableSectionElement>(null);
  const tariffs = useTariffs();
  const list = useSubscriberList(applied.filters, applied.page);

  const apply = (filters: ListFilters, page: ListPage) => writeSearch(searchFromFilters(filters, page));

  const appliedFilters = searchFromFilters(applied.filters).toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the typing pauses, not on every render
  useEffect(() => {
    if (searchFromFilters(debouncedDraft).toString() !== appliedFilters) apply(debouncedDraft, firstPage);
  }, [debouncedDraft]);

  const change = <K extends keyof ListFilters>(field: K, value: ListFilters[K]) =>
    setDraft((previous) => ({ ...previous, [field]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The same search again is a retry (the last one failed, or the operator wants fresh figures).
    if (searchFromFilters(draft).toString() === appliedFilters && applied.page.number === 1) void list.refetch();
    else apply(draft, firstPage);
  };
  const reset = () => {
    setDraft(emptyFilters);
    apply(emptyFilters, firstPage);
  };

  const open = (item: SubscriberListItem) =>
    navigate(cardPath(item.id, item.accountId), {
      state: { from: { screen: 'list', search: location.search } } satisfies CardLocationState,
    });

  const focusFirstRow = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown') return;
    const row = tbody.current?.querySelector<HTMLElement>('tr[tabindex]');
    if (row) {
      event.preventDefault();
      row.focus();
    }
  };

  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, item: SubscriberListItem) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open(item);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const sibling =
        event.key === 'ArrowDown' ? event.currentTarget.nextElementSibling : event.currentTarget.previousElementSibling;
      if (sibling instanceof HTMLElement) sibling.focus();
    }
  };

  const number = new Intl.NumberFormat(localeOf[currentLanguage()]);
  const total = list.data?.total ?? 0;
  const previousCursor = list.data?.previousCursor ?? null;
  const nextCursor = list.data?.nextCursor ?? null;
  const pageNumber = applied.page.number;
  // Going back from page 2 lands on page 1, which needs no cursor in the address bar.
  const previousPage = (cursor: string): ListPage => (pageNumber <= 2 ? firstPage : { cursor, number: pageNumber - 1 });

  const textField = (
    field: keyof typeof textLimits,
    width: number,
    extra: { autoFocus?: boolean; inputMode?: 'numeric' } = {},
  ) => (
    <TextInput
      label={t(`subscribers.list.${field}`)}
      w={width}
      maxLength={textLimits[field]}
      value={draft[field]}
      onChange={(event) => change(field, event.currentTarget.value)}
      onKeyDown={focusFirstRow}
      autoComplete="off"
      spellCheck={false}
      {...extra}
    />
  );

  return (
    <Stack gap="sm">
      <Title order={1} size="h3">
        {t('subscribers.list.title')}
      </Title>

      <search aria-label={t('subscribers.list.filters')}>
        <form onSubmit={submit}>
          <Group gap="xs" align="flex-end">
            {textField('surname', 220, { autoFocus: true })}
            {textField('street', 190)}
            {textField('house', 80)}
            {textField('accountNumber', 130, { inputMode: 'numeric' })}
            <NativeSelect
              label={t('subscribers.list.state')}
              w={180}
              value={draft.state}
              onChange={(event) => change('state', event.currentTarget.value as ListFilters['state'])}
              data={[
                { value: '', label: t('subscribers.list.anyState') },
                ...accountStates.map((state) => ({ value: state, label: t(`subscribers.state.${state}`) })),
              ]}
            />
            <NativeSelect
              label={t('subscribers.list.tariff')}
              w={180}
              value={draft.tariffId}
              onChange={(event) => change('tariffId', event.currentTarget.value)}
              data={[
                { value: '', label: t('subscribers.list.anyTariff') },
                ...(tariffs.data ?? []).map((tariff) => ({ value: String(tariff.id), label: tariff.name })),
              ]}
            />
            <NativeSelect
              label={t('subscribers.list.kind')}
              w={140}
              value={draft.kind}
              onChange={(event) => change('kind', event.currentTarget.value as ListFilters['kind'])}
              data={[
                { value: '', label: t('common.all') },
                { value: 'person', label: t('subscribers.kind.person') },
                { value: 'organisation', label: t('subscribers.kind.organisation') },
              ]}
            />
            {seesMoney && (
              <Checkbox
                label={t('subscribers.list.inDebt')}
                checked={draft.inDebt}
                onChange={(event) => change('inDebt', event.currentTarget.checked)}
                mb={8}
              />
            )}
            <Group gap={6}>
              <Button type="submit">{t('common.search')}</Button>
              <Button variant="default" onClick={reset}>
                {t('common.reset')}
              </Button>
            </Group>
          </Group>
        </form>
      </search>

      {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}

      {list.isPending ? (
        <PageLoader />
      ) : list.data && list.data.items.length === 0 ? (
        <Text c="dimmed" py="md">
          {t('subscribers.list.empty')}
        </Text>
      ) : list.data ? (
        <>
          <Table.ScrollContainer minWidth={1000}>
            <Table
              striped
              highlightOnHover
              stickyHeader
              aria-label={t('subscribers.list.table')}
              aria-busy={list.isFetching}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('subscribers.list.columns.name')}</Table.Th>
                  <Table.Th>{t('subscribers.list.columns.accountNumber')}</Table.Th>
                  <Table.Th>{t('subscribers.list.columns.contractNumber')}</Table.Th>
                  <Table.Th>{t('subscribers.list.columns.address')}</Table.Th>
                  <Table.Th>{t('subscribers.list.columns.phone')}</Table.Th>
                  <Table.Th>{t('subscribers.list.columns.tariff')}</Table.Th>
                  <Table.Th ta="right">{t('subscribers.list.columns.balance')}</Table.Th>
                  <Table.Th>{t('subscribers.list.columns.state')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody ref={tbody}>
                {list.data.items.map((item) => (
                  <Table.Tr
                    key={item.accountId}
                    tabIndex={0}
                    className="linedesk-open-row"
                    onClick={() => open(item)}
                    onKeyDown={(event) => onRowKey(event, item)}
                  >
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" fw={500}>
                          {item.name}
                        </Text>
                        {item.kind === 'organisation' && (
                          <Badge size="xs" variant="outline" color="gray">
                            {t('subscribers.kind.organisation')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ff="monospace" style={noWrap}>
                      {item.accountNumber}
                    </Table.Td>
                    <Table.Td ff="monospace" style={noWrap}>
                      {item.contractNumber}
                    </Table.Td>
                    <Table.Td>{item.address}</Table.Td>
                    <Table.Td style={noWrap}>{item.phone ?? '—'}</Table.Td>
                    <Table.Td>{item.tariffName}</Table.Td>
                    <Table.Td
                      ta="right"
                      c={item.balanceKopecks !== undefined && item.balanceKopecks < 0 ? 'red.7' : undefined}
                      style={noWrap}
                    >
                      {item.balanceKopecks === undefined ? '—' : formatRubles(item.balanceKopecks)}
                    </Table.Td>
                    <Table.Td>
                      <AccountStateBadge state={item.state} size="xs" />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>

          <Group justify="space-between" gap="sm">
            <Group gap="sm">
              <Text size="sm" role="status">
                {list.data.totalIsCapped
                  ? t('subscribers.list.totalCapped', { total: number.format(total) })
                  : t('subscribers.list.total', { total: number.format(total) })}
              </Text>
              {list.isFetching && <Loader size="xs" />}
              <Text size="xs" c="dimmed" visibleFrom="md">
                {t('subscribers.list.hint')}
              </Text>
            </Group>
            {(previousCursor || nextCursor) && (
              <nav aria-label={t('subscribers.list.pages')}>
                <Group gap={6}>
                  <Button
                    size="compact-sm"
                    variant="default"
                    disabled={!previousCursor}
                    onClick={() => apply(applied.filters, firstPage)}
                  >
                    {t('subscribers.list.pageControl.first')}
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="default"
                    disabled={!previousCursor}
                    onClick={() => previousCursor && apply(applied.filters, previousPage(previousCursor))}
                  >
                    {t('subscribers.list.pageControl.previous')}
                  </Button>
                  <Text size="sm" aria-current="page" style={noWrap}>
                    {t('subscribers.list.pageControl.page', { page: number.format(pageNumber) })}
                  </Text>
                  <Button
                    size="compact-sm"
                    variant="default"
                    disabled={!nextCursor}
                    onClick={() => nextCursor && apply(applied.filters, { cursor: nextCursor, number: pageNumber + 1 })}
                  >
                    {t('subscribers.list.pageControl.next')}
                  </Button>
                </Group>
              </nav>
            )}
          </Group>
        </>
      ) : null}
    </Stack>
  );
}
