import { badGatewayPage, type ErrorCase, maskKey, type ReplyContext, type WireError } from './types.ts';

/** OpenAI's error envelope, also sent as the error event of a stream. */
export function errorBody(
  message: string,
  type: string | null,
  code: string | null,
  param: string | null = null,
): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

function json(status: number, body: string, headers: Record<string, string> = {}): WireError {
  return { status, headers, contentType: 'application/json', body };
}

function retryHeaders(seconds: number | undefined, ms: number | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (seconds !== undefined) headers['retry-after'] = String(seconds);
  if (ms !== undefined) headers['retry-after-ms'] = String(ms);
  return headers;
}

/** Azure's all-clear content filter results, repeated in answers, streams and the content-filter error. */
export const azureFilterResults = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};

/**
 * The error answers of OpenAI Chat Completions, and with `azure` those of Azure OpenAI
 * (`code: "429"`, no `type`, its own 401 and 404 bodies).
 */
export function openAiErrors(
  azure: boolean,
): (error: ErrorCase, context: ReplyContext | undefined, requestId: string) => WireError {
  function error(error: ErrorCase, _context: ReplyContext | undefined, _requestId: string): WireError {
    switch (error.kind) {
      case 'rate_limit': {
        const wait = error.retryAfterMs !== undefined ? error.retryAfterMs / 1000 : error.retryAfterSeconds;
        const hint =
          wait === undefined
            ? ''
            : ` Please ${azure ? 'retry after' : 'try again in'} ${wait}${azure ? ' seconds' : 's'}.`;
        const headers = retryHeaders(error.retryAfterSeconds, error.retryAfterMs);
        if (azure) {
          const message = `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded call rate limit of your current OpenAI S0 pricing tier.${hint} Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`;
          return json(429, JSON.stringify({ error: { code: '429', message } }), headers);
        }
        const limit = error.limit ?? 500;
        return json(
          429,
          errorBody(
            `Rate limit reached for requests in organization org-simulator on requests per min (RPM): Limit ${limit}, Used ${limit}, Requested 1.${hint} Visit https://platform.openai.com/account/rate-limits to learn more.`,
            'requests',
            'rate_limit_exceeded',
          ),
          headers,
        );
      }
      case 'quota':
        return json(
          429,
          errorBody(
            'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
            'insufficient_quota',
            'insufficient_quota',
          ),
        );
      case 'server_error':
        return json(
          500,
          errorBody(
            'The server had an error while processing your request. Sorry about that!',
            'server_error',
            null,
          ),
        );
      case 'bad_gateway':
        return badGatewayPage();
      case 'unavailable':
        return json(
          503,
          errorBody('Service Unavailable', 'service_unavailable_error', null),
          retryHeaders(error.retryAfterSeconds, undefined),
        );
      case 'overloaded':
        return json(
          503,
          errorBody(
            'The engine is currently overloaded, please try again later',
            'service_unavailable_error',
            'server_is_overloaded',
          ),
        );
      case 'gateway_timeout':
        return json(504, errorBody('Gateway timeout. Please try again.', 'timeout', null));
      case 'context_length':
        return json(
          400,
          errorBody(
            `This model's maximum context length is ${error.window} tokens. However, your messages resulted in ${error.inputTokens} tokens. Please reduce the length of the messages.`,
            'invalid_request_error',
            'context_length_exceeded',
            'messages',
          ),
        );
      case 'content_filter':
        return json(
          400,
          JSON.stringify({
            error: {
              message:
                "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
              type: null,
              param: 'prompt',
              code: 'content_filter',
              status: 400,
              innererror: {
                code: 'ResponsibleAIPolicyViolation',
                content_filter_result: {
                  ...azureFilterResults,
                  violence: { filtered: true, severity: 'high' },
                  jailbreak: { filtered: false, detected: false },
                },
              },
            },
          }),
        );
      case 'auth':
        if (azure) {
          return json(
            401,
            JSON.stringify({
              error: {
                code: '401',
                message:
                  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
              },
            }),
          );
        }
        return json(
          401,
          errorBody(
            `Incorrect API key provided: ${maskKey(error.apiKey)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
            'invalid_request_error',
            'invalid_api_key',
          ),
        );
      case 'model_not_found':
        if (azure) {
          return json(
            404,
            JSON.stringify({
              error: {
                code: 'DeploymentNotFound',
                message:
                  'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
              },
            }),
          );
        }
        return json(
          404,
          errorBody(
            `The model \`${error.model}\` does not exist or you do not have access to it.`,
            'invalid_request_error',
            'model_not_found',
          ),
        );
      case 'prefill_rejected':
        return json(
          400,
          errorBody(
            'This model does not support continuing from an assistant message. The last message must be from the user or a tool.',
            'invalid_request_error',
            'unsupported_value',
            'messages',
          ),
        );
      case 'invalid':
        return json(400, errorBody(error.message, 'invalid_request_error', null, error.param ?? null));
    }
  }

  return error;
}
