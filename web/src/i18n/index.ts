import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ru from './ru.json';

export const languages = ['ru', 'en'] as const;
export type Language = (typeof languages)[number];

/** The operators speak Russian; English is for the rest of the team and for reviewers. */
export const defaultLanguage: Language = 'ru';
const storageKey = 'linedesk.language';

/** Locale for dates and numbers in each UI language (money is always ru-RU: see ui/format.ts). */
export const localeOf: Record<Language, string> = { ru: 'ru-RU', en: 'en-GB' };

const isLanguage = (value: unknown): value is Language => languages.includes(value as Language);

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(storageKey);
    return isLanguage(value) ? value : defaultLanguage;
  } catch {
    return defaultLanguage;
  }
}

export const currentLanguage = (): Language => (isLanguage(i18next.language) ? i18next.language : defaultLanguage);

export async function switchLanguage(language: Language) {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Private mode or a full storage: the switch still works for this tab.
  }
  await i18next.changeLanguage(language);
}

i18next.on('languageChanged', (language) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
});

export const i18nReady = i18next.use(initReactI18next).init({
  resources: { ru: { translation: ru }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: defaultLanguage,
  supportedLngs: [...languages],
  interpolation: { escapeValue: false },
  returnNull: false,
});

export { i18next };
