import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyFilters, filtersFromSearch, firstPage, listQuery, pageSize, searchFromFilters } from './list-filters.ts';

describe('the subscriber list filters in the address bar', () => {
  it('read back what they wrote', () => {
    const filters = fc.record({
      surname: fc.string({ maxLength: 100 }).map((text) => text.replace(/[\u0000-\u001f\u007f]/g, '')),
      street: fc.string({ maxLength: 100 }).map((text) => text.replace(/[\u0000-\u001f\u007f]/g, '')),
      house: fc.string({ maxLength: 20 }).map((text) => text.replace(/[\u0000-\u001f\u007f]/g, '')),
      accountNumber: fc.stringMatching(/^\d{0,8}$/),
      state: fc.constantFrom('', 'active', 'blocked_debt', 'suspended', 'closed' as const),
      tariffId: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 99999 }).map(String)),
      kind: fc.constantFrom('', 'person', 'organisation' as const),
      inDebt: fc.boolean(),
    });
    const page = fc.oneof(
      fc.constant(firstPage),
      fc.record({
        cursor: fc.stringMatching(/^[A-Za-z0-9_-]{1,300}$/),
        number: fc.integer({ min: 2, max: 1_000_000 }),
      }),
    );
    fc.assert(
      fc.property(filters, page, (written, page) => {
        const read = filtersFromSearch(searchFromFilters(written, page));
        const blankToEmpty = (text: string) => (text.trim() ? text : '');
        expect(read.page).toEqual(page);
        expect(read.filters).toEqual({
          ...written,
          surname: blankToEmpty(written.surname),
          street: blankToEmpty(written.street),
          house: blankToEmpty(written.house),
        });
      }),
    );
  });

  it('never yield a query the server would refuse, whatever the URL holds', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('surname', 'state', 'tariffId', 'kind', 'page', 'cursor', 'house'), fc.string()),
        (raw) => {
          const { filters, page } = filtersFromSearch(new URLSearchParams(raw));
          const query = listQuery(filters, page);
          expect((query.surname ?? '').length).toBeLessThanOrEqual(100);
          expect((query.house ?? '').length).toBeLessThanOrEqual(20);
          expect(query.offset).toBeUndefined();
          if (query.cursor !== undefined) expect(query.cursor).toMatch(/^[A-Za-z0-9_-]{1,2000}$/);
          expect(query.surname ?? '').not.toMatch(/[\u0000-\u001f]/);
          if (query.tariffId !== undefined) expect(Number.isInteger(query.tariffId)).toBe(true);
        },
      ),
    );
  });

  it('leave blanks out of the API query and trim the text', () => {
    expect(
      listQuery({ ...emptyFilters, surname: '  Иванов ', inDebt: true }, { cursor: 'WyJhIl0', number: 3 }),
    ).toEqual({
      surname: 'Иванов',
      inDebt: true,
      limit: pageSize,
      cursor: 'WyJhIl0',
    });
    expect(listQuery(emptyFilters)).toEqual({ limit: pageSize });
  });
});
