import { describe, expect, it } from 'vitest';
import { parseDurationMs } from './duration.ts';

describe('parseDurationMs', () => {
  it.each([
    ['6m0s', 360_000],
    ['2m59.56s', 179_560],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['1.146s', 1146],
    ['0s', 0],
    ['34.4s', 34_400],
    ['1h', 3_600_000],
    ['1500us', 1.5],
    ['2000000ns', 2],
    [' 12ms ', 12],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', 'garbage', '12', '-1s', '1m-2s', '.5s', '1d', 's', '1 s', '1s garbage'])(
    'returns undefined for %j',
    (text) => {
      expect(parseDurationMs(text)).toBeUndefined();
    },
  );
});
