import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage, type Language, languages, switchLanguage } from '../i18n/index.ts';

// Each language is named in itself, as language switches everywhere do, so they stay untranslated.
const labels: Record<Language, { short: string; name: string }> = {
  ru: { short: 'RU', name: 'Русский' },
  en: { short: 'EN', name: 'English' },
};

export function LanguageSwitch() {
  const { t } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('app.header.language')}
      value={currentLanguage()}
      onChange={(value) => void switchLanguage(value as Language)}
      data={languages.map((language) => ({
        value: language,
        label: (
          <span title={labels[language].name} lang={language}>
            {labels[language].short}
          </span>
        ),
      }))}
    />
  );
}
