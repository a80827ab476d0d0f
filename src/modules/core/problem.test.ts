import { describe, expect, it } from 'vitest';
import { fromDatabaseError, Problem } from './problem.js';

// As Drizzle throws it: its own error, with the driver's (pg or PGlite) as the cause.
const fromDriver = (code: string, constraint?: string) =>
  Object.assign(new Error('Failed query: insert into staff …'), {
    cause: Object.assign(new Error('duplicate key value violates unique constraint'), { code, constraint }),
  });

describe('a database error seen by a caller (routes and create-admin alike)', () => {
  it('is a 409 "login taken" when two created the same login at once', () => {
    const problem = fromDatabaseError(fromDriver('23505', 'staff_login_unique'));
    expect(problem).toBeInstanceOf(Problem);
    expect(problem).toMatchObject({ code: 'staff.login_taken', status: 409 });
  });

  it('is a 409 request.conflict for any other unique constraint', () => {
    expect(fromDatabaseError(fromDriver('23505', 'some_other_uq'))).toMatchObject({
      code: 'request.conflict',
      status: 409,
    });
  });

  it('is nothing the caller can act on for other database errors, which stay server errors', () => {
    expect(fromDatabaseError(fromDriver('23503', 'accounts_subscriber_fk'))).toBeUndefined();
    expect(fromDatabaseError(new Error('connection reset'))).toBeUndefined();
  });
});
