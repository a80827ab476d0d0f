import type { Candidate } from '@common/api/identification.ts';
import { Badge, Paper, Text } from '@mantine/core';
import { type KeyboardEvent, type Ref, useImperativeHandle, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountStateBadge } from '../AccountStateBadge.tsx';
import { addressSegments, fitsOf, foundBy, nameSegments, type Segment, unseenMatches } from './candidate-marks.ts';
import classes from './identify.module.css';

export interface CandidateListHandle {
  /** Moves the keyboard focus to the chosen candidate; false when the list is empty. */
  focusActive: () => boolean;
}

interface CandidateListProps {
  candidates: readonly Candidate[];
  active: number;
  onActiveChange: (index: number) => void;
  onOpen: (candidate: Candidate) => void;
  /** Escape, or ↑ on the first candidate: back to the search box. */
  onLeave: () => void;
  /** The list on screen is being replaced: it answers an older search, or a refresh is on its way. */
  busy: boolean;
  /** The wait has gone on long enough to show: the old rows fade. */
  dimmed: boolean;
  label: string;
  ref?: Ref<CandidateListHandle>;
}

function Marked({ segments }: { segments: Segment[] }) {
  return segments.map((segment, index) =>
    segment.marked ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
      <mark key={index} className={classes.mark}>
        {segment.text}
      </mark>
    ) : (
      segment.text
    ),
  );
}

/**
 * The candidates as a listbox: the search box's ↓ enters it, ↑/↓/Home/End move, Enter opens the
 * card, Escape returns to the box. One tab stop (the chosen row), so Tab moves past the list.
 */
export function CandidateList({
  candidates,
  active,
  onActiveChange,
  onOpen,
  onLeave,
  busy,
  dimmed,
  label,
  ref,
}: CandidateListProps) {
  const { t } = useTranslation();
  const rows = useRef<(HTMLDivElement | null)[]>([]);
  const current = Math.min(active, candidates.length - 1);

  const focusRow = (index: number) => {
    const row = rows.current[index];
    if (!row) return false;
    onActiveChange(index);
    row.focus();
    row.scrollIntoView({ block: 'nearest' });
    return true;
  };
  useImperativeHandle(ref, () => ({ focusActive: () => focusRow(Math.max(0, current)) }));

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number, candidate: Candidate) => {
    const moves: Record<string, number> = {
      ArrowDown: Math.min(index + 1, candidates.length - 1),
      ArrowUp: index - 1,
      Home: 0,
      End: candidates.length - 1,
      PageDown: Math.min(index + 10, candidates.length - 1),
      PageUp: Math.max(index - 10, 0),
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      if (target < 0) onLeave();
      else focusRow(target);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(candidate);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onLeave();
    }
  };

  return (
    <Paper withBorder className={dimmed ? classes.stale : undefined}>
      <div className={classes.head} aria-hidden>
        <span>{t('subscribers.identify.results.columns.name')}</span>
        <span>{t('subscribers.identify.results.columns.address')}</span>
        <span>{t('subscribers.identify.results.columns.account')}</span>
        <span className={classes.wide}>{t('subscribers.identify.results.columns.contract')}</span>
        <span>{t('subscribers.identify.results.columns.state')}</span>
        <span className={classes.wide}>{t('subscribers.identify.results.columns.match')}</span>
      </div>
      <div role="listbox" aria-label={label} aria-busy={busy}>
        {candidates.map((candidate, index) => {
          const matched = new Set(candidate.matched);
          const exact = foundBy(candidate.matched);
          const unseen = unseenMatches(candidate.matched);
          const fits = fitsOf(candidate.matched);
          return (
            <div
              key={candidate.accountId}
              ref={(row) => {
                rows.current[index] = row;
              }}
              role="option"
              aria-selected={index === current}
              tabIndex={index === current ? 0 : -1}
              className={classes.row}
              onClick={() => onOpen(candidate)}
              onFocus={() => onActiveChange(index)}
              onKeyDown={(event) => onKeyDown(event, index, candidate)}
            >
              <span className={classes.cell}>
                <Text span size="sm" fw={500}>
                  <Marked segments={nameSegments(candidate)} />
                </Text>
                {candidate.kind === 'organisation' && (
                  <Badge size="xs" variant="outline" color="gray" ml={6}>
                    {t('subscribers.kind.organisation')}
                  </Badge>
                )}
              </span>
              <span className={classes.cell}>
                <Marked segments={addressSegments(candidate)} />
              </span>
              <span className={classes.number}>
                <Marked segments={[{ text: candidate.accountNumber, marked: matched.has('account') }]} />
              </span>
              <span className={`${classes.number} ${classes.wide}`}>
                <Marked segments={[{ text: candidate.contractNumber, marked: matched.has('contract') }]} />
              </span>
              <span className={classes.cell}>
                <AccountStateBadge state={candidate.state} size="xs" />
              </span>
              <span className={`${classes.cell} ${classes.wide}`}>
                {exact.map((field) => (
                  <Text key={field} span size="xs" fw={600} c="teal.8" display="block">
                    {t(`subscribers.identify.foundBy.${field}`)}
                  </Text>
                ))}
                {exact.length === 0 && (
                  <Text span size="xs" c={fits.length ? 'teal.8' : 'dimmed'} display="block" data-testid="fits">
                    {fits.length
                      ? t('subscribers.identify.fits.label', {
                          parts: fits.map((field) => t(`subscribers.identify.fits.${field}`)).join(', '),
                        })
                      : t('subscribers.identify.fits.nothing')}
                  </Text>
                )}
                {unseen.map((field) => (
                  <Text key={field} span size="xs" c="teal.8" display="block">
                    ✓ {t(`subscribers.identify.alsoMatched.${field}`)}
                  </Text>
                ))}
              </span>
            </div>
          );
        })}
      </div>
    </Paper>
  );
}
