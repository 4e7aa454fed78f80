import type { IngressCodec } from '../codecs/codec.ts';

/** Problems the gateway itself answers, before any provider is involved. */
export type GatewayProblem =
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'invalid_request'
  | 'too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'rate_limit';

const openAiTypes: Record<GatewayProblem, string> = {
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  invalid_request: 'invalid_request_error',
  too_large: 'invalid_request_error',
  unsupported_media_type: 'invalid_request_error',
  method_not_allowed: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
};

const anthropicTypes: Record<GatewayProblem, string> = {
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  invalid_request: 'invalid_request_error',
  too_large: 'request_too_large',
  unsupported_media_type: 'invalid_request_error',
  method_not_allowed: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
};

/**
 * A gateway-level error in the caller's API shape (OpenAI `{error:{message,type,param,code}}`,
 * Anthropic `{type:"error", error:{type,message}, request_id}`). The message is the gateway's own,
 * never anything a provider said.
 */
export function gatewayError(
  format: IngressCodec['format'],
  problem: GatewayProblem,
  message: string,
  requestId: string,
): object {
  if (format === 'anthropic-messages') {
    return { type: 'error', error: { type: anthropicTypes[problem], message }, request_id: requestId };
  }
  return { error: { message, type: openAiTypes[problem], param: null, code: problem } };
}
