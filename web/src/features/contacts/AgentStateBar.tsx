import type { AgentSelf } from '@common/api/contacts.ts';
import { Badge, Button, Group, Kbd, Paper, Text } from '@mantine/core';
import { type Ref, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerClock } from './clock.ts';
import { deskKeys } from './desk-keys.ts';
import { PickOne } from './PickOne.tsx';
import { SinceTimer } from './Timers.tsx';
import { type BreakReason, breakReasons, isBreakReason, stateColors } from './vocabulary.ts';

interface AgentStateBarProps {
  agent: AgentSelf;
  clock: ServerClock;
  onAvailable: () => void;
  onOffline: () => void;
  /** The break's reason select is shown (its button, or key 2, asked for it). */
  choosingBreak: boolean;
  onChooseBreak: (choosing: boolean) => void;
  onBreak: (reason: BreakReason) => void;
  breakButtonRef: Ref<HTMLButtonElement>;
}

/** The agent's state, how long in it, and the three states an agent sets: available, break (with a reason), offline. */
export function AgentStateBar({
  agent,
  clock,
  onAvailable,
  onOffline,
  choosingBreak,
  onChooseBreak,
  onBreak,
  breakButtonRef,
}: AgentStateBarProps) {
  const { t } = useTranslation();
  const reasonField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (choosingBreak) reasonField.current?.focus();
  }, [choosingBreak]);
  const breakReason = agent.breakReason
    ? isBreakReason(agent.breakReason)
      ? t(`contacts.breakReasons.${agent.breakReason}`)
      : agent.breakReason
    : null;

  return (
    <Paper withBorder p="sm" component="section" aria-label={t('contacts.desk.state.region')}>
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Group gap="sm">
          <Badge size="lg" color={stateColors[agent.state]} variant="filled" data-testid="agent-state">
            {t(`contacts.states.${agent.state}`)}
          </Badge>
          <SinceTimer
            instant={agent.since}
            clock={clock}
            fw={600}
            size="lg"
            title={t('contacts.desk.state.timeInState')}
          />
          {breakReason && <Text size="sm">{breakReason}</Text>}
          <Text size="xs" c="dimmed">
            {t('contacts.desk.state.lines', { lines: agent.lines.map((line) => line.toUpperCase()).join(', ') })}
            {agent.extension ? ` · ${t('contacts.desk.state.extension', { extension: agent.extension })}` : ''}
          </Text>
        </Group>
        <Group gap="xs">
          <StateButton state="available" current={agent.state} color="teal" onClick={onAvailable} />
          {choosingBreak ? (
            <PickOne
              ref={reasonField}
              size="xs"
              w={200}
              aria-label={t('contacts.desk.state.breakReason')}
              placeholder={t('contacts.desk.state.breakReason')}
              data={breakReasons.map((value) => ({ value, label: t(`contacts.breakReasons.${value}`) }))}
              value={null}
              onChange={(value) => {
                if (value && isBreakReason(value)) onBreak(value);
              }}
              defaultDropdownOpened
              onKeyDown={(event) => {
                if (event.key === 'Escape') onChooseBreak(false);
              }}
              onBlur={() => onChooseBreak(false)}
            />
          ) : (
            <StateButton
              state="break"
              current={agent.state}
              color="orange"
              onClick={() => onChooseBreak(true)}
              buttonRef={breakButtonRef}
            />
          )}
          <StateButton state="offline" current={agent.state} color="gray" onClick={onOffline} />
        </Group>
      </Group>
    </Paper>
  );
}

/** One of the states an agent sets, filled while it is theirs, with its key. */
function StateButton({
  state,
  current,
  color,
  onClick,
  buttonRef,
}: {
  state: 'available' | 'break' | 'offline';
  current: AgentSelf['state'];
  color: string;
  onClick: () => void;
  buttonRef?: Ref<HTMLButtonElement>;
}) {
  const { t } = useTranslation();
  const key = deskKeys[state].label;
  return (
    <Button
      ref={buttonRef}
      color={color}
      variant={current === state ? 'filled' : 'light'}
      size="xs"
      onClick={onClick}
      aria-keyshortcuts={key}
      rightSection={<Kbd size="xs">{key}</Kbd>}
    >
      {t(`contacts.desk.state.${state}`)}
    </Button>
  );
}
