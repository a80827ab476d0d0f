import type { Askable, NextQuestion } from '@common/api/identification.ts';
import { Button, Group, Paper, Pill, Text, TextInput } from '@mantine/core';
import { upperFirst } from '@mantine/hooks';
import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AnswerProblem, type Answers, givenAnswers, readAnswer } from './caller-search.ts';
import classes from './identify.module.css';
import { nextQuestionText } from './question-text.ts';

interface NextQuestionPanelProps {
  question: NextQuestion | null;
  /** One subscriber left: nothing to ask, the card is one Enter away. */
  single: boolean;
  /** Several left and no question: nothing askable tells them apart. */
  several: boolean;
  answers: Answers;
  onAnswer: (answers: Answers) => void;
  onRemoveAnswer: (attribute: Askable) => void;
  /** ↓ or Escape in the answer field: on to the list, back to the search box. */
  onToList: () => void;
  onToSearch: () => void;
}

/**
 * The question that best splits the candidates, with the caller's answer typed right under it:
 * Enter narrows the list, the answers given stay as removable chips, and the next question
 * takes the place of the answered one.
 */
export function NextQuestionPanel({
  question,
  single,
  several,
  answers,
  onAnswer,
  onRemoveAnswer,
  onToList,
  onToSearch,
}: NextQuestionPanelProps) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState('');
  const [problem, setProblem] = useState<Exclude<AnswerProblem, 'empty'> | null>(null);
  const given = givenAnswers(answers);
  const text = question
    ? nextQuestionText(t, question)
    : single
      ? t('subscribers.identify.question.single')
      : several
        ? t('subscribers.identify.question.noneLeft')
        : null;
  if (text === null && given.length === 0) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!question) return;
    const reading = readAnswer(question.attribute, answer);
    if (!reading.ok) {
      setProblem(reading.problem === 'empty' ? null : reading.problem);
      return;
    }
    setProblem(null);
    setAnswer('');
    onAnswer(reading.answers);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      onToList();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (answer) {
        setAnswer('');
        setProblem(null);
      } else onToSearch();
    }
  };

  const attributeName = (attribute: Askable) => t(`subscribers.identify.attribute.${attribute}`);

  return (
    <Paper component="section" aria-label={t('subscribers.identify.question.region')} className={classes.question}>
      <Group px="sm" py={8} gap="sm" wrap="wrap" align="center">
        <Text size="sm" fw={600} role="status">
          {text}
        </Text>
        {question && (
          <form onSubmit={submit}>
            <Group gap={6} wrap="nowrap" align="flex-start">
              <TextInput
                size="xs"
                w={300}
                aria-label={t('subscribers.identify.answer.label', { attribute: attributeName(question.attribute) })}
                placeholder={t('subscribers.identify.answer.placeholder', {
                  attribute: upperFirst(attributeName(question.attribute)),
                  example: t(`subscribers.identify.answer.example.${question.attribute}`),
                })}
                value={answer}
                onChange={(event) => {
                  setAnswer(event.currentTarget.value);
                  setProblem(null);
                }}
                onKeyDown={onKeyDown}
                error={problem ? t(`subscribers.identify.answer.problem.${problem}`) : undefined}
                autoComplete="off"
                spellCheck={false}
                maxLength={100}
                inputMode={
                  question.attribute === 'birthYear' || question.attribute === 'phoneLast4' ? 'numeric' : undefined
                }
              />
              <Button type="submit" size="xs" variant="light">
                {t('subscribers.identify.answer.submit')}
              </Button>
            </Group>
          </form>
        )}
      </Group>
      {given.length > 0 && (
        <Group px="sm" pb={8} gap={6} role="group" aria-label={t('subscribers.identify.answers.label')}>
          <Text size="xs" c="dimmed">
            {t('subscribers.identify.answers.label')}:
          </Text>
          {given.map(([attribute, value]) => (
            <Pill
              key={attribute}
              size="sm"
              withRemoveButton
              onRemove={() => onRemoveAnswer(attribute)}
              removeButtonProps={{
                tabIndex: 0,
                'aria-hidden': false,
                'aria-label': t('subscribers.identify.answers.remove', {
                  attribute: attributeName(attribute),
                  answer: value,
                }),
              }}
            >
              {t('subscribers.identify.answers.chip', {
                attribute: upperFirst(attributeName(attribute)),
                answer: value,
              })}
            </Pill>
          ))}
        </Group>
      )}
    </Paper>
  );
}
