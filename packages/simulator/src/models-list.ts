import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Scenario } from './scenario.ts';
import { sendJson } from './send.ts';

/**
 * Lists the scenario's models (not the `*` fallback) in the shape the caller speaks: Gemini for
 * `/v1beta/models`, Anthropic when an `anthropic-version` header is sent, OpenAI otherwise.
 */
export function listModels(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  scenario: Scenario,
): void {
  const names = Object.keys(scenario.models).filter((name) => name !== '*');
  if (path === '/v1beta/models') {
    return sendJson(response, 200, {
      models: names.map((name) => ({
        name: `models/${name}`,
        displayName: name,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent'],
      })),
    });
  }
  if (request.headers['anthropic-version'] !== undefined) {
    const data = names.map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: '2026-01-01T00:00:00Z',
    }));
    return sendJson(response, 200, {
      data,
      has_more: false,
      first_id: names[0] ?? null,
      last_id: names.at(-1) ?? null,
    });
  }
  sendJson(response, 200, {
    object: 'list',
    data: names.map((id) => ({
      id,
      object: 'model',
      created: 1767225600,
      owned_by: 'steadfast-simulator',
    })),
  });
}
