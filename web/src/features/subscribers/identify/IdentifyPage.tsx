import type { Askable, Candidate } from '@common/api/identification.ts';
import { Alert, Button, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { currentLanguage, localeOf } from '../../../i18n/index.ts';
import { ProblemAlert } from '../../../ui/ProblemAlert.tsx';
import { useAddressBarSearch } from '../../../ui/use-address-bar-search.ts';
import { useShownAfter } from '../../../ui/use-shown-after.ts';
import { type CardLocationState, cardPath } from '../card-location.ts';
import { CandidateList, type CandidateListHandle } from './CandidateList.tsx';
import {
  type Answers,
  type CallerSearch,
  callerSearchFrom,
  emptySearch,
  isBlank,
  moreToShow,
  queryLimit,
  searchForText,
  searchParamsOf,
  shownStep,
  withAnswers,
  withoutAnswer,
} from './caller-search.ts';
import { NextQuestionPanel } from './NextQuestionPanel.tsx';
import { useCallerIdentification } from './queries.ts';
import { answerMatchedNobodyText, candidateCountText, notFittingText, readingText } from './question-text.ts';
import { callerSearchBoxId } from './search-shortcut.ts';

// Results follow the typing after this pause; the request it supersedes is cancelled.
const typingPauseMs = 200;
// A spinner for waits the operator notices, not for every keystroke.
const spinnerDelayMs = 300;

/**
 * The line 1 workspace: one box for whatever the caller says, the candidates ranked as the
 * operator types, the question that best tells them apart with the caller's answer typed in
 * place, and the card one Enter away. Everything works from the keyboard.
 */
export function IdentifyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams, writeSearch] = useAddressBarSearch((params) => setDraft(callerSearchFrom(params).q));
  const applied = callerSearchFrom(searchParams);
  const [draft, setDraft] = useState(applied.q);
  const [debouncedDraft] = useDebouncedValue(draft, typingPauseMs);
  // "Show more" belongs to the search it was pressed for: a new search shows the first 20 again.
  const searchKey = searchParams.toString();
  const [more, setMore] = useState({ searchKey, limit: shownStep });
  const limit = more.searchKey === searchKey ? more.limit : shownStep;
  const identification = useCallerIdentification(applied, limit);
  const box = useRef<HTMLInputElement>(null);
  const list = useRef<CandidateListHandle>(null);
  const [active, setActive] = useState(0);
  const answered = useRef(false);

  const apply = (search: CallerSearch) => writeSearch(searchParamsOf(search));

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the typing pauses, not on every render
  useEffect(() => {
    if (debouncedDraft !== applied.q) apply(searchForText(debouncedDraft));
  }, [debouncedDraft]);

  // Back from a card (or a shortcut from elsewhere): the box has the focus, its text selected, so
  // the next caller's words replace the last caller's.
  useEffect(() => box.current?.select(), []);

  const data = identification.data;
  const candidates = data?.candidates ?? [];
  const current = !identification.isPlaceholderData;

  // A new result starts at its first candidate. When the answer field goes away with the last
  // question, the focus goes to the list, so the next Enter opens the card.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reacts to a new result only
  useEffect(() => {
    setActive(0);
    if (answered.current && current && !data?.nextQuestion) {
      answered.current = false;
      if (!list.current?.focusActive()) box.current?.focus();
    }
  }, [data]);

  const open = (candidate: Candidate) =>
    navigate(cardPath(candidate.subscriberId, candidate.accountId), {
      state: { from: { screen: 'identify', search: location.search } } satisfies CardLocationState,
    });

  const focusBox = () => box.current?.focus();

  const clear = () => {
    setDraft('');
    apply(emptySearch);
    focusBox();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft !== applied.q) {
      apply(searchForText(draft));
      return;
    }
    // The result on screen is for this very text and names one subscriber: Enter opens the card.
    const only = candidates[0];
    if (current && data?.total === 1 && candidates.length === 1 && data.notFitting.length === 0 && only) open(only);
  };

  const onBoxKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      if (list.current?.focusActive()) event.preventDefault();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      clear();
    }
  };

  const answer = (answers: Answers) => {
    answered.current = true;
    apply(withAnswers({ ...applied, q: draft.trim() ? draft : applied.q }, answers));
  };
  const removeAnswer = (attribute: Askable) => {
    apply(withoutAnswer(applied, attribute));
    focusBox();
  };

  const searching = useShownAfter(identification.isFetching, spinnerDelayMs);
  const number = new Intl.NumberFormat(localeOf[currentLanguage()]);
  const reading = data && current ? readingText(t, data.reading) : null;
  const nobodyAnswer = data?.answerMatchedNobody ? applied.answers[data.answerMatchedNobody] : undefined;
  const blank = isBlank(applied) && !draft.trim();

  return (
    <Stack gap="sm" maw={1400}>
      <Title order={1} size="h3">
        {t('subscribers.identify.title')}
      </Title>

      <search aria-label={t('subscribers.identify.search.region')}>
        <form onSubmit={submit}>
          <Group gap="sm" align="center" wrap="nowrap">
            <TextInput
              ref={box}
              id={callerSearchBoxId}
              type="search"
              size="md"
              w={640}
              maw="100%"
              aria-label={t('subscribers.identify.search.label')}
              aria-keyshortcuts="/ Control+K"
              placeholder={t('subscribers.identify.search.placeholder')}
              value={draft}
              onChange={(event) => setDraft(event.currentTarget.value)}
              onKeyDown={onBoxKey}
              maxLength={queryLimit}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              rightSection={
                searching ? <Loader size="xs" aria-label={t('subscribers.identify.search.searching')} /> : null
              }
            />
            {reading && (
              <Text size="xs" c="dimmed" style={{ minWidth: 0 }}>
                {reading}
              </Text>
            )}
          </Group>
        </form>
      </search>

      {blank ? (
        <Paper withBorder p="md" maw={900}>
          <Text fw={600} size="sm" mb={4}>
            {t('subscribers.identify.empty.title')}
          </Text>
          <Text size="sm">{t('subscribers.identify.empty.text')}</Text>
          <Text size="xs" c="dimmed" mt={8}>
            {t('subscribers.identify.empty.keys')}
          </Text>
        </Paper>
      ) : identification.isError ? (
        <ProblemAlert error={identification.error} onRetry={() => void identification.refetch()} />
      ) : data ? (
        <>
          <NextQuestionPanel
            question={data.nextQuestion}
            single={
              data.total === 1 && candidates.length === 1 && !data.answerMatchedNobody && data.notFitting.length === 0
            }
            several={candidates.length > 1}
            answers={applied.answers}
            onAnswer={answer}
            onRemoveAnswer={removeAnswer}
            onToList={() => list.current?.focusActive()}
            onToSearch={focusBox}
          />
          {data.notFitting.length > 0 && (
            <Alert color="orange" variant="light" py={6} role="status" data-testid="not-fitting">
              <Text size="sm">{notFittingText(t, data.notFitting, candidates.length > 0)}</Text>
            </Alert>
          )}
          {data.answerMatchedNobody && nobodyAnswer && (
            <Alert color="orange" variant="light" py={6} role="status">
              <Text size="sm">{answerMatchedNobodyText(t, data.answerMatchedNobody, nobodyAnswer)}</Text>
            </Alert>
          )}
          {candidates.length === 0 ? (
            <Text c="dimmed" size="sm" py="sm" role="status">
              {t('subscribers.identify.noneFound', { q: applied.q.trim() })}
            </Text>
          ) : (
            <Stack gap={4}>
              <Group justify="space-between" gap="sm">
                <Text size="sm" role="status">
                  <Text span fw={600} size="sm">
                    {t('subscribers.identify.results.label')}
                  </Text>
                  {' · '}
                  {candidateCountText(t, data, candidates.length, (value) => number.format(value))}
                </Text>
                <Text size="xs" c="dimmed" visibleFrom="md">
                  {t('subscribers.identify.results.keys')}
                </Text>
              </Group>
              <CandidateList
                ref={list}
                candidates={candidates}
                active={active}
                onActiveChange={setActive}
                onOpen={open}
                onLeave={focusBox}
                busy={!current || identification.isFetching}
                dimmed={!current && searching}
                label={t('subscribers.identify.results.label')}
              />
              {current && moreToShow(candidates.length, data.total) > 0 && (
                <Group>
                  <Button
                    variant="subtle"
                    size="xs"
                    onClick={() => setMore({ searchKey, limit: candidates.length + shownStep })}
                  >
                    {t('subscribers.identify.results.showMore', { count: moreToShow(candidates.length, data.total) })}
                  </Button>
                </Group>
              )}
            </Stack>
          )}
        </>
      ) : null}
    </Stack>
  );
}
