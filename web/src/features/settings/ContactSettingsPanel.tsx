import type { ContactSettings, SettingsView } from '@common/api/settings.ts';
import { Alert, Button, Group, NativeSelect, NumberInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel } from '../../ui/Panel.tsx';
import { useSaveContactSettings } from './queries.ts';
import { SettingsProblem } from './SettingsProblem.tsx';

type Numbers = 'repeatWindowHours' | 'shortAbandonSeconds' | 'disconnectGraceSeconds';
// The server's ranges (src/common/api/settings.ts).
const ranges: Record<Numbers, [number, number]> = {
  repeatWindowHours: [1, 720],
  shortAbandonSeconds: [0, 120],
  disconnectGraceSeconds: [5, 600],
};

/** How contacts are routed and counted, and where the PBX takes its commands. */
export function ContactSettingsPanel({ view, readOnly }: { view: SettingsView; readOnly: boolean }) {
  const { t } = useTranslation();
  const save = useSaveContactSettings();
  const [draft, setDraft] = useState<ContactSettings>(view.contacts);
  const [errors, setErrors] = useState<Partial<Record<keyof ContactSettings, string>>>({});
  const [saved, setSaved] = useState(false);
  // What another administrator saved (or a reload) shows in the form.
  useEffect(() => setDraft(view.contacts), [view.contacts]);

  const change = <K extends keyof ContactSettings>(field: K, value: ContactSettings[K]) => {
    setSaved(false);
    setDraft((previous) => ({ ...previous, [field]: value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<keyof ContactSettings, string>> = {};
    for (const [field, [min, max]] of Object.entries(ranges) as [Numbers, [number, number]][]) {
      const value = draft[field];
      if (!Number.isInteger(value) || value < min || value > max) found[field] = t('settings.line.range', { min, max });
    }
    if (draft.pbxCommandUrl !== null && !/^https?:\/\/\S+$/.test(draft.pbxCommandUrl)) {
      found.pbxCommandUrl = t('settings.contacts.urlRule');
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate({ version: view.contactsVersion, contacts: draft }, { onSuccess: () => setSaved(true) });
  };

  const numberField = (field: Numbers, label: string) => (
    <NumberInput
      label={label}
      min={ranges[field][0]}
      max={ranges[field][1]}
      allowDecimal={false}
      allowNegative={false}
      value={draft[field]}
      error={errors[field]}
      disabled={readOnly}
      onChange={(value) => change(field, typeof value === 'number' ? value : Number.NaN)}
    />
  );

  return (
    <Panel title={t('settings.contacts.title')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.error && <SettingsProblem error={save.error} />}
          {saved && (
            <Alert color="teal" variant="light" py="xs" role="status">
              {t('settings.contacts.saved')}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('settings.contacts.routingMode')}
              description={t(`settings.contacts.routingModeHint.${draft.routingMode}`)}
              data={(['acd', 'card-pop'] as const).map((mode) => ({
                value: mode,
                label: t(`settings.contacts.routingModes.${mode}`),
              }))}
              value={draft.routingMode}
              disabled={readOnly}
              onChange={(event) => change('routingMode', event.currentTarget.value as ContactSettings['routingMode'])}
            />
            <NativeSelect
              label={t('settings.contacts.defaultLine')}
              description={t('settings.contacts.defaultLineHint')}
              data={view.lines.map((line) => ({ value: line.id, label: line.name }))}
              value={draft.defaultLine}
              disabled={readOnly}
              onChange={(event) => change('defaultLine', event.currentTarget.value)}
            />
            {numberField('repeatWindowHours', t('settings.contacts.repeatWindowHours'))}
            {numberField('shortAbandonSeconds', t('settings.contacts.shortAbandonSeconds'))}
            {numberField('disconnectGraceSeconds', t('settings.contacts.disconnectGraceSeconds'))}
          </SimpleGrid>
          <TextInput
            label={t('settings.contacts.pbxCommandUrl')}
            description={t('settings.contacts.pbxCommandUrlHint')}
            placeholder="https://pbx.example/linedesk"
            value={draft.pbxCommandUrl ?? ''}
            error={errors.pbxCommandUrl}
            disabled={readOnly}
            maxLength={500}
            onChange={(event) => change('pbxCommandUrl', event.currentTarget.value.trim() || null)}
          />
          {!readOnly && (
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending}>
                {t('settings.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Panel>
  );
}
