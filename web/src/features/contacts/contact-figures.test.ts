import { describe, expect, it } from 'vitest';
import { contactDuration, ringingTitle, talkStartedAt } from './contact-figures.ts';

describe('a contact’s figures', () => {
  it('time an answered contact from the answer to the end', () => {
    expect(
      contactDuration({
        arrivedAt: '2025-03-01T10:00:00Z',
        answeredAt: '2025-03-01T10:00:40Z',
        endedAt: '2025-03-01T10:05:10Z',
      }),
    ).toEqual({ kind: 'talk', seconds: 270 });
  });

  it('time an abandoned contact by how long the caller waited', () => {
    expect(
      contactDuration({ arrivedAt: '2025-03-01T10:00:00Z', answeredAt: null, endedAt: '2025-03-01T10:01:05Z' }),
    ).toEqual({ kind: 'waited', seconds: 65 });
  });

  it('have no duration while the contact goes on', () => {
    expect(contactDuration({ arrivedAt: '2025-03-01T10:00:00Z', answeredAt: null, endedAt: null })).toBeNull();
  });

  it('count talk from the answer, else the offer, else the arrival', () => {
    const arrived = { arrivedAt: 'a', offeredAt: null, answeredAt: null };
    expect(talkStartedAt(arrived)).toBe('a');
    expect(talkStartedAt({ ...arrived, offeredAt: 'o' })).toBe('o');
    expect(talkStartedAt({ ...arrived, offeredAt: 'o', answeredAt: 'x' })).toBe('x');
  });

  it('flash the caller’s number in the title in turn with the page’s own title', () => {
    expect(ringingTitle('Linedesk', '+7 912 345-67-89', 0)).toBe('☎ +7 912 345-67-89');
    expect(ringingTitle('Linedesk', '+7 912 345-67-89', 1)).toBe('Linedesk');
    expect(ringingTitle('Linedesk', '+7 912 345-67-89', 2)).toBe('☎ +7 912 345-67-89');
  });
});
