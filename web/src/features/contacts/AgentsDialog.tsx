import type { AgentProfile } from '@common/api/contacts.ts';
import { Button, Group, Modal, MultiSelect, Stack, TagsInput, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { checkProfile, draftOf, normaliseSkills, type ProfileFaults, suggestedSkills } from './agents-profile.ts';

/** One agent's lines, skills and extension, changed from the keyboard: Tab between fields, Enter in the extension saves. */
export function AgentsDialog(props: {
  agent: AgentProfile & { fullName: string };
  lines: readonly { id: string; name: string }[];
  saving: boolean;
  error: unknown;
  onSave: (profile: AgentProfile) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => draftOf(props.agent));
  const [faults, setFaults] = useState<ProfileFaults>({});
  const known = props.lines.map((line) => line.id);
  // A line removed from the settings still shows, by its id, so it can be taken off the agent.
  const options = [
    ...props.lines.map((line) => ({ value: line.id, label: line.name })),
    ...draft.lines.filter((id) => !known.includes(id)).map((id) => ({ value: id, label: id })),
  ];

  const change = <K extends keyof typeof draft>(field: K, value: (typeof draft)[K]) => {
    setDraft((previous) => ({ ...previous, [field]: value }));
    setFaults((previous) => ({ ...previous, [field]: undefined }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkProfile(draft, known);
    if ('faults' in checked) return setFaults(checked.faults);
    props.onSave(checked.profile);
  };

  const fault = (field: keyof ProfileFaults) => {
    const found = faults[field];
    return found && t(`contacts.agents.faults.${found}`);
  };

  return (
    <Modal opened onClose={props.onClose} title={t('contacts.agents.dialog.title', { name: props.agent.fullName })}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {props.error !== null && props.error !== undefined && <ProblemAlert error={props.error} />}
          <MultiSelect
            label={t('contacts.agents.lines')}
            description={t('contacts.agents.dialog.linesHint')}
            data={options}
            value={draft.lines}
            maxValues={10}
            searchable
            data-autofocus
            error={fault('lines')}
            onChange={(value) => change('lines', value)}
          />
          <TagsInput
            label={t('contacts.agents.skills')}
            description={t('contacts.agents.dialog.skillsHint')}
            data={[...suggestedSkills]}
            value={draft.skills}
            maxTags={20}
            splitChars={[',', ' ']}
            error={fault('skills')}
            onChange={(value) => change('skills', normaliseSkills(value))}
          />
          <TextInput
            label={t('contacts.agents.extension')}
            description={t('contacts.agents.dialog.extensionHint')}
            value={draft.extension}
            maxLength={40}
            error={fault('extension')}
            onChange={(event) => change('extension', event.currentTarget.value)}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={props.onClose}>
              {t('contacts.agents.dialog.cancel')}
            </Button>
            <Button type="submit" loading={props.saving}>
              {t('contacts.agents.dialog.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
