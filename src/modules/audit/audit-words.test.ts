import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActions } from '../../../web/src/features/audit/audit-actions.js';

// The audit screen names each action in the user's language from its own list; an action written
// here and missing there would show as a raw code.
describe('the audit screen’s list of actions', () => {
  it('holds every action the server writes to the audit log, so none shows as a raw code', async () => {
    const written = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) {
          for (const match of readFileSync(path, 'utf8').matchAll(/action: '([a-z_-]+\.[a-z_-]+)'/g))
            written.add(match[1] as string);
          for (const match of readFileSync(path, 'utf8').matchAll(/'([a-z_-]+\.[a-z_-]+)' : '([a-z_-]+\.[a-z_-]+)'/g)) {
            written.add(match[1] as string);
            written.add(match[2] as string);
          }
        }
      }
    };
    // The modules, and the integrations that act for staff (a Disconnect sent to a NAS).
    walk(join(import.meta.dirname, '..'));
    walk(join(import.meta.dirname, '../../integrations'));
    expect(written.size).toBeGreaterThan(10);
    expect([...written].filter((action) => !(auditActions as readonly string[]).includes(action)).sort()).toEqual([]);
  });
});
