import { describe, expect, it } from 'vitest';
import { LabelIndex } from './label-index.ts';

describe('LabelIndex', () => {
  it('makes one entry per distinct set of values, once, with its labels by name', () => {
    let made = 0;
    const index = new LabelIndex(['route', 'provider'], (labels) => ({ labels, n: ++made }));

    const first = index.get('chat', 'openai');
    const again = index.get('chat', 'openai');
    const other = index.get('chat', 'anthropic');

    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(made).toBe(2);
    expect(first.labels).toEqual({ route: 'chat', provider: 'openai' });
    expect(Object.isFrozen(first.labels)).toBe(true);
    expect(index.entries).toEqual([first, other]);
  });

  it('keeps values apart that a joined key string would confuse', () => {
    const index = new LabelIndex(['provider', 'model'], (labels) => labels);

    expect(index.get('a/b', 'c')).not.toBe(index.get('a', 'b/c'));
    expect(index.get('', 'x')).not.toBe(index.get('x', ''));
  });

  it('takes one to four label names', () => {
    expect(() => new LabelIndex([], (labels) => labels)).toThrow(RangeError);
    expect(() => new LabelIndex(['a', 'b', 'c', 'd', 'e'], (labels) => labels)).toThrow(RangeError);
    expect(new LabelIndex(['a', 'b', 'c', 'd'], (labels) => labels).get('1', '2', '3', '4')).toEqual({
      a: '1',
      b: '2',
      c: '3',
      d: '4',
    });
  });
});
