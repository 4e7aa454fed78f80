import type { ScenarioInput } from '@steadfast/simulator';
import type { ChatRequest, JsonSchema, ToolDefinition } from '../../../neutral/request.ts';

/** The model that answers normally. */
export const model = 'conformance-model';

/** What every model of the scenario answers with: eleven pieces as the simulator cuts tokens. */
export const reply = 'Steadfast keeps answering when the provider in front of it fails.';

/** Content pieces the stream faults send before they strike. */
export const chunksBeforeFault = 3;

/** Long enough that only the fake clock, never the wall clock, decides what happens first. */
const forever = 600_000;

/** A model name the scenario does not know. */
export const unknownModel = 'no-such-model';

/**
 * The conformance scenario: `model` answers normally, and every other model is named after the one
 * fault it always injects (`rate_limit`, `stream_cut`, …).
 */
export const scenario: ScenarioInput = {
  defaults: { reply },
  models: {
    [model]: {},
    rate_limit: { faults: [{ fault: { kind: 'rate_limit', retryAfterSeconds: 7 } }] },
    quota: { faults: [{ fault: 'quota' }] },
    server_error: { faults: [{ fault: 'server_error' }] },
    bad_gateway: { faults: [{ fault: 'bad_gateway' }] },
    unavailable: { faults: [{ fault: 'unavailable' }] },
    overloaded: { faults: [{ fault: 'overloaded' }] },
    gateway_timeout: { faults: [{ fault: 'gateway_timeout' }] },
    context_length: { faults: [{ fault: 'context_length' }] },
    content_filter: { faults: [{ fault: 'content_filter' }] },
    auth: { faults: [{ fault: 'auth' }] },
    reset: { faults: [{ fault: 'reset' }] },
    no_response: { faults: [{ fault: 'no_response' }] },
    empty: { faults: [{ fault: 'empty' }] },
    refusal: { faults: [{ fault: { kind: 'refusal', mode: 'native' } }] },
    truncated: { faults: [{ fault: 'truncated' }] },
    stream_cut: { faults: [{ fault: { kind: 'stream_cut', afterChunks: chunksBeforeFault } }] },
    stream_stall: {
      faults: [{ fault: { kind: 'stream_stall', afterChunks: chunksBeforeFault, stallMs: forever } }],
    },
    malformed_chunk: { faults: [{ fault: { kind: 'malformed_chunk', afterChunks: chunksBeforeFault } }] },
    missing_done: { faults: [{ fault: 'missing_done' }] },
    stream_error: { faults: [{ fault: { kind: 'stream_error', afterChunks: chunksBeforeFault } }] },
    slow_first_token: { faults: [{ fault: { kind: 'slow_first_token', delayMs: forever } }] },
  },
};

/** A one-question request to `modelName`, with whatever else a test adds. */
export function ask(modelName: string = model, extra: Omit<Partial<ChatRequest>, 'model'> = {}): ChatRequest {
  return {
    model: modelName,
    messages: [{ role: 'user', content: 'Why do LLM calls need a resilience layer?' }],
    ...extra,
  };
}

/** Two tools, so that naming one shows the choice was honoured and not the first tool taken. */
export const weatherTool: ToolDefinition = {
  name: 'get_weather',
  description: 'The current weather in a city.',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['city', 'unit'],
    additionalProperties: false,
  },
};

export const timeTool: ToolDefinition = {
  name: 'get_time',
  description: 'The current time in a time zone.',
  parameters: {
    type: 'object',
    properties: { timezone: { type: 'string' }, withSeconds: { type: 'boolean' } },
    required: ['timezone', 'withSeconds'],
    additionalProperties: false,
  },
};

/** The schema of a structured answer. */
export const bookSchema: JsonSchema = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    year: { type: 'integer' },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['title', 'year', 'tags'],
  additionalProperties: false,
};

/** The property names a schema declares, sorted. */
export function propertyNames(schema: JsonSchema): string[] {
  const properties = schema.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties).sort() : [];
}
