import type { LineSettings, OpenInterval } from '@common/api/settings.ts';
import {
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHours, parseHours, type Weekday, weekdayNumbers } from './hours-text.ts';
import { SettingsProblem } from './SettingsProblem.tsx';

// A new line starts as the demo's first line does (src/modules/settings/defaults.ts).
const newLine: LineSettings = {
  id: '',
  name: '',
  role: 'l1',
  dialled: [],
  targetSeconds: 20,
  targetPercent: 80,
  callbackOfferAfterSeconds: 300,
  offerTimeoutSeconds: 15,
  afterContactWorkSeconds: 30,
  chatCapacity: 3,
  hours: Object.fromEntries(
    weekdayNumbers.map((day) => [day, [{ from: '08:00', to: '22:00' }]]),
  ) as LineSettings['hours'],
  holidayHours: [],
  alwaysOpen: false,
};

type Numbers = Pick<
  LineSettings,
  | 'targetSeconds'
  | 'targetPercent'
  | 'callbackOfferAfterSeconds'
  | 'offerTimeoutSeconds'
  | 'afterContactWorkSeconds'
  | 'chatCapacity'
>;

// The server's ranges (src/common/api/settings.ts), so a slip is caught in the form.
const ranges: Record<keyof Numbers, [number, number]> = {
  targetSeconds: [1, 3600],
  targetPercent: [1, 100],
  callbackOfferAfterSeconds: [0, 7200],
  offerTimeoutSeconds: [5, 300],
  afterContactWorkSeconds: [0, 3600],
  chatCapacity: [1, 20],
};

type HoursKey = Weekday | 'holidays';

export function LineDialog(props: {
  line: LineSettings | undefined;
  takenIds: string[];
  saving: boolean;
  error: unknown;
  onSave: (line: LineSettings) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const start = props.line ?? newLine;
  const [draft, setDraft] = useState<LineSettings>(start);
  const [hoursText, setHoursText] = useState<Record<HoursKey, string>>(() => ({
    ...(Object.fromEntries(weekdayNumbers.map((day) => [day, formatHours(start.hours[day])])) as Record<
      Weekday,
      string
    >),
    holidays: formatHours(start.holidayHours),
  }));
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});

  const change = <K extends keyof LineSettings>(field: K, value: LineSettings[K]) =>
    setDraft((previous) => ({ ...previous, [field]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const id = draft.id.trim();
    if (!props.line) {
      if (!/^[a-z][a-z0-9_-]{0,31}$/.test(id)) found.id = t('settings.line.idRule');
      else if (props.takenIds.includes(id)) found.id = t('settings.line.idTaken');
    }
    if (!draft.name.trim()) found.name = t('settings.line.nameRequired');
    for (const [field, [min, max]] of Object.entries(ranges) as [keyof Numbers, [number, number]][]) {
      const value = draft[field];
      if (!Number.isInteger(value) || value < min || value > max) {
        found[field] = t('settings.line.range', { min, max });
      }
    }
    const read = (key: HoursKey): OpenInterval[] => {
      const parsed = parseHours(hoursText[key]);
      if ('error' in parsed) {
        found[`hours.${key}`] = t(`settings.line.hoursError.${parsed.error}`);
        return [];
      }
      return parsed.intervals;
    };
    const hours = Object.fromEntries(weekdayNumbers.map((day) => [day, read(day)])) as LineSettings['hours'];
    const holidayHours = read('holidays');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    props.onSave({ ...draft, id, name: draft.name.trim(), hours, holidayHours });
  };

  const numberField = (field: keyof Numbers, label: string) => (
    <NumberInput
      label={label}
      min={ranges[field][0]}
      max={ranges[field][1]}
      allowDecimal={false}
      allowNegative={false}
      value={draft[field]}
      error={errors[field]}
      onChange={(value) => change(field, typeof value === 'number' ? value : Number.NaN)}
    />
  );

  const hoursField = (key: HoursKey, label: string) => (
    <TextInput
      key={key}
      label={label}
      placeholder={t('settings.line.hoursPlaceholder')}
      value={hoursText[key]}
      error={errors[`hours.${key}`]}
      disabled={draft.alwaysOpen}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setHoursText((previous) => ({ ...previous, [key]: value }));
      }}
    />
  );

  return (
    <Modal
      opened
      onClose={props.onClose}
      size="xl"
      title={props.line ? t('settings.line.editTitle', { name: props.line.name }) : t('settings.line.addTitle')}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {Boolean(props.error) && <SettingsProblem error={props.error} />}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('settings.line.id')}
              description={t('settings.line.idHint')}
              value={draft.id}
              disabled={Boolean(props.line)}
              error={errors.id}
              maxLength={32}
              onChange={(event) => change('id', event.currentTarget.value)}
            />
            <TextInput
              label={t('settings.lines.name')}
              value={draft.name}
              error={errors.name}
              maxLength={80}
              data-autofocus
              onChange={(event) => change('name', event.currentTarget.value)}
            />
            <NativeSelect
              label={t('settings.line.role')}
              data={(['l1', 'l2', 'l3'] as const).map((role) => ({ value: role, label: t(`roles.${role}`) }))}
              value={draft.role}
              onChange={(event) => change('role', event.currentTarget.value as LineSettings['role'])}
            />
          </SimpleGrid>
          <TagsInput
            label={t('settings.lines.dialled')}
            description={t('settings.line.dialledHint')}
            value={draft.dialled}
            maxTags={50}
            onChange={(value) => change('dialled', value)}
          />
          <Title order={3} size="h6">
            {t('settings.line.thresholds')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {numberField('targetPercent', t('settings.line.targetPercent'))}
            {numberField('targetSeconds', t('settings.line.targetSeconds'))}
            {numberField('callbackOfferAfterSeconds', t('settings.line.callbackOfferAfterSeconds'))}
            {numberField('offerTimeoutSeconds', t('settings.line.offerTimeoutSeconds'))}
            {numberField('afterContactWorkSeconds', t('settings.line.afterContactWorkSeconds'))}
            {numberField('chatCapacity', t('settings.line.chatCapacity'))}
          </SimpleGrid>
          <Title order={3} size="h6">
            {t('settings.lines.hours')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('settings.line.hoursHint')}
          </Text>
          <Switch
            label={t('settings.line.alwaysOpen')}
            checked={draft.alwaysOpen}
            onChange={(event) => change('alwaysOpen', event.currentTarget.checked)}
          />
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            {weekdayNumbers.map((day) => hoursField(day, t(`settings.weekdays.${day}`)))}
            {hoursField('holidays', t('settings.line.holidayHours'))}
          </SimpleGrid>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={props.onClose}>
              {t('staff.dialog.cancel')}
            </Button>
            <Button type="submit" loading={props.saving}>
              {t('settings.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
