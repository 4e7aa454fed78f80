import type { IncomingMessage, ServerResponse } from 'node:http';
import { control, type SimulatorState } from './control.ts';
import { listModels } from './models-list.ts';
import { InvalidRequest } from './request.ts';
import type { Api } from './scenario.ts';
import { send, sendJson } from './send.ts';
import { anthropicFormat } from './wire/anthropic.ts';
import { geminiFormat } from './wire/gemini.ts';
import { openAiFormat } from './wire/openai.ts';
import type { WireError, WireFormat } from './wire/types.ts';

const formats = {
  openai: openAiFormat(false),
  azure: openAiFormat(true),
  anthropic: anthropicFormat,
  gemini: geminiFormat,
} satisfies Record<Api, WireFormat>;

const maxBodyBytes = 32 * 1024 * 1024;
const geminiPath = /^\/(v1|v1beta|v1beta1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const azurePath = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

/** Where a model request goes: its wire format, and the model when the URL names it. */
export interface Route {
  format: WireFormat;
  model: string | undefined;
}

function route(method: string, path: string, url: URL): Route | WireError | undefined {
  if (method !== 'POST') return undefined;
  if (path === '/v1/chat/completions') return { format: formats.openai, model: undefined };
  if (path === '/v1/messages') return { format: formats.anthropic, model: undefined };
  if (path === '/openai/v1/chat/completions') return { format: formats.azure, model: undefined };
  const azure = azurePath.exec(path);
  if (azure !== null) {
    if (!url.searchParams.has('api-version')) {
      return jsonError(404, { error: { code: '404', message: 'Resource not found' } });
    }
    return { format: formats.azure, model: decodeURIComponent(azure[1] as string) };
  }
  const gemini = geminiPath.exec(path);
  if (gemini !== null) return { format: formats.gemini, model: decodeURIComponent(gemini[2] as string) };
  return undefined;
}

function jsonError(status: number, body: unknown): WireError {
  return { status, headers: {}, contentType: 'application/json', body: JSON.stringify(body) };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new InvalidRequest(`Request body larger than ${maxBodyBytes} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString()),
    );
    request.on('error', reject);
  });
}

/** Answers one model request: one attempt, with the fault the scenario picks for it. */
export type Answer = (
  target: Route,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  text: string,
) => Promise<void>;

/** Reads one request and hands it to the control API, the model list, or `answer`. */
export async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  state: SimulatorState,
  answer: Answer,
): Promise<void> {
  const raw = request.url ?? '/';
  const url = new URL(raw, 'http://simulator');
  const path = url.pathname;
  const method = request.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(request);
  if (path.startsWith('/_sim/')) return control(request, response, path, body, state);
  if (method === 'GET' && (path === '/v1/models' || path === '/v1beta/models'))
    return listModels(request, response, path, state.scenario());
  const target = route(method, path, url);
  if (target === undefined) {
    return sendJson(response, 404, {
      error: {
        message: `Invalid URL (${method} ${path})`,
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  }
  if ('status' in target)
    return send(response, target.status, target.contentType, target.body, target.headers);
  await answer(target, request, response, url, body);
}
