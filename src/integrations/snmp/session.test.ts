import { describe, expect, it } from 'vitest';
import { snmpErrorText } from './session.js';

/** net-snmp's errors by their names, as it throws them. */
function netSnmpError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('why a request failed, in words for the card and the log', () => {
  it('never quotes the community an answer carried or the one sent', () => {
    const text = snmpErrorText(
      netSnmpError(
        'ResponseInvalidError',
        "Community 'secret-community' in request does not match community 'other-one' in response",
      ),
    );
    expect(text).not.toContain('secret-community');
    expect(text).not.toContain('other-one');
    expect(text).toBe('invalid answer (a wrong community or v3 key?)');
  });

  it('says timeout for a node that did not answer, and the agent error-status without quoted values', () => {
    expect(snmpErrorText(netSnmpError('RequestTimedOutError', 'Request timed out'))).toBe('timeout');
    expect(
      snmpErrorText(netSnmpError('RequestFailedError', "Local community not found for message with community 'x1'")),
    ).not.toContain('x1');
    expect(snmpErrorText(netSnmpError('RequestFailedError', 'NoSuchName'))).toBe('NoSuchName');
    expect(snmpErrorText('not an error')).toBe('request failed');
  });
});
