import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json';
import ru from '../../i18n/ru.json';
import { actionKey, auditActionFamilies, auditActions } from './audit-actions.ts';

describe('the audit screen’s words for actions', () => {
  it.each([
    ['ru', ru],
    ['en', en],
  ])('has every action and family in %s', (_language, words) => {
    const actions = words.audit.actions as Record<string, string>;
    for (const action of [...auditActions, ...auditActionFamilies]) {
      expect(actions[actionKey(action)], action).toBeTruthy();
    }
  });
});
