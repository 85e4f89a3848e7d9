/** `providers.intercom`: the versions whose API has tickets, the default version and budget. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/load.js';

const intercom = (settings: string) => parseConfigText(`providers:\n  intercom: { baseUrl: "https://api.intercom.io", token: "t"${settings} }\n`, {}).providers.intercom!;

function problems(settings: string): string[] {
  try {
    intercom(settings);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

const ACCEPTED = '"2.9", "2.10", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16", "Preview", "Unstable"';

describe('providers.intercom', () => {
  it('defaults to Intercom-Version 2.14 and to a budget inside Intercom\'s 10-second window (1,650 of 1,666)', () => {
    expect(intercom('')).toMatchObject({ version: '2.14', requestsPerSecond: 150, burst: 150 });
  });

  it('keeps a budget the operator sets', () => {
    expect(intercom(', requestsPerSecond: 20, burst: 5')).toMatchObject({ requestsPerSecond: 20, burst: 5 });
  });

  it.each(['2.9', '2.10', '2.11', '2.12', '2.13', '2.14', '2.15', '2.16', 'Preview', 'Unstable'])('accepts version "%s"', (version) => {
    expect(intercom(`, version: "${version}"`).version).toBe(version);
  });

  it.each(['2.8', '1.4', '3.0', 'preview', 'latest', ''])('refuses version "%s", listing the accepted ones', (version) => {
    expect(problems(`, version: "${version}"`)).toEqual([`providers.intercom.version: must be an Intercom-Version whose API has tickets: one of ${ACCEPTED}`]);
  });

  it('says to quote a version YAML read as a number', () => {
    expect(problems(', version: 2.10')).toEqual([
      `providers.intercom.version: must be an Intercom-Version whose API has tickets: one of ${ACCEPTED} in quotes (unquoted, YAML reads 2.10 as the number 2.1)`,
    ]);
  });
});
