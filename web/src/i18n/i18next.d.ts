import 'i18next';
import type ru from './ru.json';

// Keys are checked at compile time against ru.json; locales.test.ts checks en.json has the same keys.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof ru };
  }
}
