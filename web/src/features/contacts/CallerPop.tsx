import type { ContactSummary } from '@common/api/contacts.ts';
import type { Askable, Candidate } from '@common/api/identification.ts';
import { Alert, Anchor, Button, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type KeyboardEvent, type Ref, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatPhone } from '../../ui/format.ts';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { useShownAfter } from '../../ui/use-shown-after.ts';
import { SubscriberCard } from '../subscribers/card/SubscriberCard.tsx';
import { cardPath } from '../subscribers/card-location.ts';
import { CandidateList, type CandidateListHandle } from '../subscribers/identify/CandidateList.tsx';
import { type Answers, queryLimit, withAnswers, withoutAnswer } from '../subscribers/identify/caller-search.ts';
import { NextQuestionPanel } from '../subscribers/identify/NextQuestionPanel.tsx';
import { useCallerIdentification } from '../subscribers/identify/queries.ts';
import { useSubscriberCard } from '../subscribers/queries.ts';

/** The subscriber the agent picked for a contact whose number did not name one. */
export interface PoppedSubscriber {
  subscriberId: number;
  accountId: number | undefined;
}

export interface CallerPopHandle {
  /** Focus where the agent works next: the search box or the candidates; false when the card is shown. */
  focus: () => boolean;
}

interface CallerPopProps {
  contact: ContactSummary;
  /** Kept by the desk per contact, so the choice outlives the offer turning into the contact. */
  chosen: PoppedSubscriber | undefined;
  onChoose: (chosen: PoppedSubscriber | undefined) => void;
  /** Escape in the search box: back to the contact, where the desk's keys work. */
  onLeave: () => void;
  ref?: Ref<CallerPopHandle>;
}

/**
 * What the caller's number pops: the card of the one subscriber it names; the subscribers it fits,
 * with identification's question that tells them apart; or, for a number nobody has, the search
 * box ready for whatever the caller says.
 */
export function CallerPop({ contact, chosen, onChoose, onLeave, ref }: CallerPopProps) {
  const { t } = useTranslation();
  const search = useRef<CallerPopHandle>(null);
  const subscriber: PoppedSubscriber | undefined =
    chosen ??
    (contact.subscriberId !== null ? { subscriberId: contact.subscriberId, accountId: undefined } : undefined);
  useImperativeHandle(ref, () => ({ focus: () => (subscriber ? false : (search.current?.focus() ?? false)) }));

  if (subscriber) {
    return (
      <Stack gap="xs">
        <Group gap="sm">
          {chosen && (
            <Button variant="subtle" size="compact-sm" onClick={() => onChoose(undefined)}>
              ← {t('contacts.pop.backToSearch')}
            </Button>
          )}
          <Anchor
            component={Link}
            to={
              subscriber.accountId === undefined
                ? `/subscribers/${subscriber.subscriberId}`
                : cardPath(subscriber.subscriberId, subscriber.accountId)
            }
            size="sm"
          >
            {t('contacts.pop.openCard')}
          </Anchor>
        </Group>
        <PoppedCard subscriber={subscriber} />
      </Stack>
    );
  }
  const several = contact.subscribersFitting > 1 && contact.callerNumber !== null;
  return (
    <PopSearch
      ref={search}
      initial={several ? (contact.callerNumber ?? '') : ''}
      heading={
        several
          ? t('contacts.pop.several', { count: contact.subscribersFitting })
          : contact.callerNumber
            ? t('contacts.pop.unknown', { number: formatPhone(contact.callerNumber) })
            : t('contacts.pop.withheld')
      }
      onChoose={(candidate) => onChoose({ subscriberId: candidate.subscriberId, accountId: candidate.accountId })}
      onLeave={onLeave}
    />
  );
}

function PoppedCard({ subscriber }: { subscriber: PoppedSubscriber }) {
  const card = useSubscriberCard(subscriber.subscriberId, subscriber.accountId);
  if (card.isPending) return <PageLoader />;
  if (card.isError) return <ProblemAlert error={card.error} onRetry={() => void card.refetch()} />;
  return <SubscriberCard card={card.data} />;
}

const typingPauseMs = 200;

interface PopSearchProps {
  initial: string;
  heading: string;
  onChoose: (candidate: Candidate) => void;
  onLeave: () => void;
  ref?: Ref<CallerPopHandle>;
}

/**
 * The caller search of the identify screen, inside the desk: one box (the number, when it fits
 * several), the next question with the caller's answer typed in place, the candidates; Enter on
 * one shows its card here.
 */
function PopSearch({ initial, heading, onChoose, onLeave, ref }: PopSearchProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(initial);
  const [q] = useDebouncedValue(draft, typingPauseMs);
  const [answers, setAnswers] = useState<{ q: string; answers: Answers }>({ q: initial, answers: {} });
  // Answers belong to the text they were given for: a new text starts without them.
  const given = answers.q === q ? answers.answers : {};
  const identification = useCallerIdentification({ q, answers: given }, 20);
  const box = useRef<HTMLInputElement>(null);
  const list = useRef<CandidateListHandle>(null);
  const [active, setActive] = useState(0);

  const focusBox = () => {
    box.current?.focus();
    return box.current !== null;
  };
  useImperativeHandle(ref, () => ({
    focus: () => (identification.data?.candidates.length ? (list.current?.focusActive() ?? false) : focusBox()),
  }));

  const data = identification.data;
  const candidates = data?.candidates ?? [];
  const searching = useShownAfter(identification.isFetching, 300);
  const answer = (more: Answers) => setAnswers({ q, answers: withAnswers({ q, answers: given }, more).answers });
  const removeAnswer = (attribute: Askable) => {
    setAnswers({ q, answers: withoutAnswer({ q, answers: given }, attribute).answers });
    focusBox();
  };
  const onBoxKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && list.current?.focusActive()) event.preventDefault();
    if (event.key === 'Escape') {
      event.preventDefault();
      onLeave();
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      const only = candidates[0];
      if (data?.total === 1 && only) onChoose(only);
    }
  };

  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Title order={2} size="h5">
          {heading}
        </Title>
        <TextInput
          ref={box}
          type="search"
          w={520}
          maw="100%"
          aria-label={t('contacts.pop.searchLabel')}
          placeholder={t('contacts.pop.placeholder')}
          value={draft}
          onChange={(event) => setDraft(event.currentTarget.value)}
          onKeyDown={onBoxKey}
          maxLength={queryLimit}
          autoComplete="off"
          spellCheck={false}
          rightSection={searching ? <Loader size="xs" aria-label={t('subscribers.identify.search.searching')} /> : null}
        />
        {identification.isError ? (
          <ProblemAlert error={identification.error} onRetry={() => void identification.refetch()} />
        ) : data && q.trim() ? (
          <>
            <NextQuestionPanel
              question={data.nextQuestion}
              single={data.total === 1 && candidates.length === 1}
              several={candidates.length > 1}
              answers={given}
              onAnswer={answer}
              onRemoveAnswer={removeAnswer}
              onToList={() => list.current?.focusActive()}
              onToSearch={focusBox}
            />
            {data.answerMatchedNobody && (
              <Alert color="orange" variant="light" py={6} role="status">
                <Text size="sm">{t('contacts.pop.answerMatchedNobody')}</Text>
              </Alert>
            )}
            {candidates.length === 0 ? (
              <Text c="dimmed" size="sm" role="status">
                {t('subscribers.identify.noneFound', { q: q.trim() })}
              </Text>
            ) : (
              <CandidateList
                ref={list}
                candidates={candidates}
                active={active}
                onActiveChange={setActive}
                onOpen={onChoose}
                onLeave={focusBox}
                busy={identification.isFetching}
                dimmed={searching}
                label={t('subscribers.identify.results.label')}
              />
            )}
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
