import type { TFunction } from 'i18next';
import { isApiProblem } from '../api/client.ts';
import { i18next } from '../i18n/index.ts';

/** The operator's sentence for a failed call: the problem's code translated, never the server's English title. */
export function problemMessage(t: TFunction, error: unknown): string {
  const code = isApiProblem(error) ? error.code : 'network.unreachable';
  const key = `problems.${code}`;
  // Codes come from the server at run time, so the key cannot be checked at compile time.
  if (i18next.exists(key)) return t(key as 'problems.unknown', { code });
  return t('problems.unknown', { code: isApiProblem(error) ? `${error.code}, ${error.status}` : code });
}
