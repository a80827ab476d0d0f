import { Group, Paper, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

interface PanelProps {
  title: string;
  /** Something beside the title: a badge, a count, an action. */
  aside?: ReactNode;
  children: ReactNode;
}

/** A titled block of a page; a landmark (region) named by its title, so it can be reached and found. */
export function Panel({ title, aside, children }: PanelProps) {
  const titleId = useId();
  return (
    <Paper component="section" aria-labelledby={titleId} withBorder p="sm">
      <Group justify="space-between" gap="xs" mb="xs" wrap="nowrap">
        <Title order={2} size="h5" id={titleId}>
          {title}
        </Title>
        {aside}
      </Group>
      {children}
    </Paper>
  );
}
