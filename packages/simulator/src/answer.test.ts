import { describe, expect, it } from 'vitest';
import { buildAnswer, refusalPhrase, sampleJson, splitTokens } from './answer.ts';
import type { JsonSchema, SimRequest } from './request.ts';
import type { Fault, ModelBehaviour } from './scenario.ts';

function request(overrides: Partial<SimRequest> = {}): SimRequest {
  return {
    api: 'openai',
    model: 'gpt-4o-mini',
    stream: false,
    includeUsage: false,
    includeObfuscation: false,
    maxTokens: undefined,
    prefix: undefined,
    json: undefined,
    tools: [],
    forcedTool: undefined,
    afterToolResult: false,
    stop: [],
    inputTokens: 12,
    apiKey: undefined,
    ...overrides,
  };
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

const reply = 'The quick brown fox jumps over the lazy dog';
const replying: ModelBehaviour = { reply };

function text(behaviour: ModelBehaviour, req: SimRequest, fault?: Fault): string {
  return buildAnswer(behaviour, req, fault).pieces.join('');
}

describe('splitTokens', () => {
  it.each([
    '',
    'Hello',
    'Hello world',
    '  leading and trailing spaces  ',
    'an extraordinarily-long-hyphenated-word',
    'lines\nand\ttabs stay inside pieces',
    'naïve café, 日本語のテキスト',
    'emoji 😀😀😀😀😀 and x😀😀😀😀',
    '{"city":"example city","days":[1,2,3]}',
  ])('splits %j into pieces that join back to it', (input) => {
    const pieces = splitTokens(input);
    expect(pieces.join('')).toBe(input);
    expect(pieces.every((piece) => piece.length > 0)).toBe(true);
  });

  it('makes a word and the spaces after it one piece', () => {
    expect(splitTokens('Hello big  world')).toEqual(['Hello ', 'big  ', 'world']);
  });

  it('cuts a long run of non-space characters every 8 characters', () => {
    expect(splitTokens('abcdefghijklmnopqrs')).toEqual(['abcdefgh', 'ijklmnop', 'qrs']);
  });

  it('never cuts a character outside the basic plane in half', () => {
    const pieces = splitTokens('x😀😀😀😀😀😀😀😀');
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      // A piece may neither end in the first half of a surrogate pair nor start with the second half.
      expect(piece.charCodeAt(piece.length - 1)).not.toSatisfy(isHighSurrogate);
      expect(piece.charCodeAt(0)).not.toSatisfy(isLowSurrogate);
    }
  });
});

describe('sampleJson', () => {
  it('fills every property of an object by its type', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer', minimum: 18.5 },
        score: { type: 'number' },
        ratio: { type: 'number', minimum: 0.5 },
        active: { type: 'boolean' },
        nothing: { type: 'null' },
        born: { type: 'string', format: 'date' },
      },
    };
    expect(sampleJson(schema)).toEqual({
      name: 'example name',
      age: 19,
      score: 4.2,
      ratio: 0.5,
      active: true,
      nothing: null,
      born: '2026-01-01',
    });
  });

  it('reads an object without `type` from its properties', () => {
    expect(sampleJson({ properties: { a: { type: 'boolean' } } })).toEqual({ a: true });
  });

  it('gives an array of minItems items (at least one)', () => {
    expect(sampleJson({ type: 'array', items: { type: 'integer' }, minItems: 3 })).toEqual([42, 42, 42]);
    expect(sampleJson({ type: 'array', items: { type: 'boolean' } })).toEqual([true]);
    expect(sampleJson({ type: 'array', items: { type: 'boolean' }, minItems: 0 })).toEqual([true]);
  });

  it('takes the first enum value and a const as it is', () => {
    expect(sampleJson({ type: 'string', enum: ['red', 'green'] })).toBe('red');
    expect(sampleJson({ const: 'fixed' })).toBe('fixed');
    expect(sampleJson({ const: null })).toBeNull();
  });

  it('takes the first variant of anyOf and oneOf', () => {
    expect(sampleJson({ anyOf: [{ type: 'integer' }, { type: 'string' }] })).toBe(42);
    expect(sampleJson({ oneOf: [{ type: 'boolean' }, { type: 'string' }] })).toBe(true);
  });

  it('reads a nullable type list by its non-null type', () => {
    expect(sampleJson({ type: ['null', 'integer'] })).toBe(42);
  });

  it("reads Gemini's uppercase OpenAPI types", () => {
    const schema = {
      type: 'OBJECT',
      properties: {
        city: { type: 'STRING' },
        days: { type: 'INTEGER' },
        tags: { type: 'ARRAY', items: { type: 'STRING', enum: ['sunny', 'rainy'] } },
        warm: { type: 'BOOLEAN' },
      },
    };
    expect(sampleJson(schema)).toEqual({ city: 'example city', days: 42, tags: ['sunny'], warm: true });
  });

  it('stops nesting after 8 levels, so a deep or cyclic schema still gives a value', () => {
    const node: { type: string; properties: Record<string, JsonSchema> } = { type: 'object', properties: {} };
    node.properties.child = node;
    let value = sampleJson(node);
    let depth = 0;
    while (typeof value === 'object' && value !== null && 'child' in value) {
      value = value.child;
      depth++;
    }
    expect(depth).toBe(9);
    expect(value).toBeNull();
  });

  it('answers a request without a schema with a small object', () => {
    expect(sampleJson(undefined)).toEqual({ answer: 'This is a simulated JSON answer.' });
  });
});

describe('buildAnswer: text', () => {
  it('answers with the configured reply and counts one output token per piece', () => {
    const answer = buildAnswer(replying, request(), undefined);
    expect(answer).toMatchObject({ type: 'text', finish: 'stop', stopSequence: undefined, inputTokens: 12 });
    expect(answer.pieces.join('')).toBe(reply);
    expect(answer.outputTokens).toBe(answer.pieces.length);
  });

  it.each([1, 2, 10, 64, 200])(
    'generates exactly replyTokens = %i tokens when no reply is given',
    (count) => {
      const answer = buildAnswer({ replyTokens: count }, request(), undefined);
      expect(answer.pieces).toHaveLength(count);
      expect(answer.outputTokens).toBe(count);
      expect(answer.pieces.join('')).toMatch(/^Steadfas/);
    },
  );

  it('generates 24 tokens by default', () => {
    expect(buildAnswer({}, request(), undefined).outputTokens).toBe(24);
  });

  it('continues from a trailing assistant message, returning only the rest', () => {
    expect(text(replying, request({ prefix: 'The quick brown ' }))).toBe('fox jumps over the lazy dog');
  });

  it('answers in full when the prefix is not the start of its answer', () => {
    expect(text(replying, request({ prefix: 'Something else' }))).toBe(reply);
  });

  it('cuts the answer at max tokens and reports `length`', () => {
    const answer = buildAnswer(replying, request({ maxTokens: 3 }), undefined);
    expect(answer.pieces.join('')).toBe('The quick brown ');
    expect(answer).toMatchObject({ finish: 'length', outputTokens: 3 });
  });

  it('reports `stop` when max tokens leaves room for the whole answer', () => {
    expect(buildAnswer(replying, request({ maxTokens: 9 }), undefined).finish).toBe('stop');
  });

  it('cuts the answer before the earliest stop sequence and names it', () => {
    const answer = buildAnswer(replying, request({ stop: ['lazy', 'fox'] }), undefined);
    expect(answer.pieces.join('')).toBe('The quick brown ');
    expect(answer).toMatchObject({ finish: 'stop_sequence', stopSequence: 'fox' });
  });

  it('ignores a stop sequence that does not occur, and an empty one', () => {
    expect(buildAnswer(replying, request({ stop: ['', 'cat'] }), undefined)).toMatchObject({
      finish: 'stop',
      stopSequence: undefined,
    });
  });

  it('reports `length`, not the stop sequence, when max tokens cuts first', () => {
    const answer = buildAnswer(replying, request({ stop: ['lazy'], maxTokens: 2 }), undefined);
    expect(answer).toMatchObject({ finish: 'length', stopSequence: undefined, outputTokens: 2 });
  });

  it('answers JSON mode with a sample of the schema', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } } };
    expect(JSON.parse(text(replying, request({ json: { schema } })))).toEqual({ city: 'example city' });
  });
});

describe('buildAnswer: faults', () => {
  it('truncated: stops at atTokens with `length`', () => {
    const answer = buildAnswer(replying, request(), { kind: 'truncated', atTokens: 2 });
    expect(answer.pieces.join('')).toBe('The quick ');
    expect(answer.finish).toBe('length');
  });

  it('truncated without atTokens: stops half-way', () => {
    expect(buildAnswer(replying, request(), { kind: 'truncated' }).pieces).toHaveLength(4);
  });

  it('refusal (native): a refusal answer with the refusal finish', () => {
    const answer = buildAnswer(replying, request(), { kind: 'refusal', mode: 'native' });
    expect(answer).toMatchObject({ type: 'refusal', finish: 'refusal' });
    expect(answer.pieces.join('')).toBe(refusalPhrase);
  });

  it('refusal (phrase): an ordinary text answer that says no', () => {
    const answer = buildAnswer(replying, request(), { kind: 'refusal', mode: 'phrase' });
    expect(answer).toMatchObject({ type: 'text', finish: 'stop' });
    expect(answer.pieces.join('')).toBe(refusalPhrase);
  });

  it('refusal: refuses even when a tool call is forced', () => {
    const tools = [{ name: 'lookup', parameters: undefined }];
    const answer = buildAnswer(replying, request({ tools, forcedTool: 'lookup' }), {
      kind: 'refusal',
      mode: 'native',
    });
    expect(answer.type).toBe('refusal');
  });

  it('malformed_json: text that a JSON parser rejects', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } };
    const broken = text(replying, request({ json: { schema } }), { kind: 'malformed_json' });
    expect(() => JSON.parse(broken)).toThrow(SyntaxError);
    expect(broken).toContain('"city":"example city"');
  });

  it('empty: no output at all', () => {
    expect(buildAnswer(replying, request(), { kind: 'empty' })).toMatchObject({
      type: 'text',
      pieces: [],
      outputTokens: 0,
    });
  });

  it('content_filter: a blocked answer without output', () => {
    expect(buildAnswer(replying, request(), { kind: 'content_filter' })).toMatchObject({
      type: 'blocked',
      pieces: [],
    });
  });
});

describe('buildAnswer: tool calls', () => {
  const tools = [
    { name: 'search', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
    { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  ];

  it('calls the forced tool with arguments that fit its schema', () => {
    const answer = buildAnswer(replying, request({ tools, forcedTool: 'get_weather' }), undefined);
    expect(answer).toMatchObject({ type: 'tool_call', finish: 'tool_calls', tool: { name: 'get_weather' } });
    expect(answer.tool?.id).toMatch(/^call_sim/);
    expect(JSON.parse(answer.pieces.join(''))).toEqual({ city: 'example city' });
  });

  it('gives each call a new id', () => {
    const first = buildAnswer(replying, request({ tools, forcedTool: 'search' }), undefined);
    const second = buildAnswer(replying, request({ tools, forcedTool: 'search' }), undefined);
    expect(first.tool?.id).not.toBe(second.tool?.id);
  });

  it('answers in text after a tool result, even when a call is forced', () => {
    const answer = buildAnswer(
      replying,
      request({ tools, forcedTool: 'search', afterToolResult: true }),
      undefined,
    );
    expect(answer.type).toBe('text');
    expect(answer.pieces.join('')).toBe(reply);
  });

  it('answers in text when tools are offered but not forced', () => {
    expect(buildAnswer(replying, request({ tools }), undefined).type).toBe('text');
  });

  it('calls the first tool when the model has callTools, without forcing', () => {
    const answer = buildAnswer({ ...replying, callTools: true }, request({ tools }), undefined);
    expect(answer.tool?.name).toBe('search');
  });

  it('calls with an empty object when the tool has no parameters', () => {
    const answer = buildAnswer(
      replying,
      request({ tools: [{ name: 'ping', parameters: undefined }], forcedTool: 'ping' }),
      undefined,
    );
    expect(JSON.parse(answer.pieces.join(''))).toEqual({});
  });
});
