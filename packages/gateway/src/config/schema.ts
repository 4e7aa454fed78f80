// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import { z } from 'zod';
import { alertsSchema } from './alerts-schema.ts';
import { modelOverrideSchema } from './catalog-schema.ts';
import { serverDefaults, simulatorDefaults } from './defaults.ts';
import { keySchema } from './keys.ts';
import { policiesSchema, policyNames } from './policies-schema.ts';
import { providerNameSchema, providerSchema } from './providers-schema.ts';
import { strictObject } from './strict-object.ts';

/** The same hint for every policy name, where a policy does not belong. */
function policyHints(hint: string): Record<string, string> {
  return Object.fromEntries(policyNames.map((name) => [name, hint]));
}

const hasEntries = (record: Record<string, unknown>): boolean => Object.keys(record).length > 0;

const port = z.number().int().min(0).max(65_535);

const serverSchema = strictObject({
  host: z.string().min(1).default(serverDefaults.host).describe('Interface to listen on.'),
  port: port.default(serverDefaults.port),
  bodyLimitBytes: z
    .number()
    .int()
    .positive()
    .default(serverDefaults.bodyLimitBytes)
    .describe('Largest request body, in bytes.'),
  shutdownGraceMs: z
    .number()
    .int()
    .nonnegative()
    .default(serverDefaults.shutdownGraceMs)
    .describe('How long in-flight requests may finish after SIGTERM, in ms.'),
  idempotencyWindowMs: z
    .number()
    .int()
    .nonnegative()
    .default(serverDefaults.idempotencyWindowMs)
    .describe('How long an Idempotency-Key answer is replayed, in ms.'),
});

const simulatorSchema = strictObject({
  scenario: z
    .string()
    .min(1)
    .exactOptional()
    .describe('The scenario file, relative to this file. Default: every model answers normally.'),
  port: port.default(simulatorDefaults.port).describe('Default 0: a free port.'),
});

/** A candidate: `provider/model`; the model may hold slashes itself (`openrouter/meta-llama/llama-3`). */
const candidateSchema = z
  .string()
  .regex(/^[^/\s]+\/\S+$/, 'must be "provider/model", e.g. "openai/gpt-4o-mini"')
  .describe('provider/model');

const routeSchema = strictObject(
  {
    candidates: z
      .array(candidateSchema)
      .min(1, 'a route needs at least one candidate')
      .describe('Tried in order: provider/model, the provider as named under providers.'),
    policies: policiesSchema
      .exactOptional()
      .describe('This route\'s policies; each replaces the same policy of "defaults" whole.'),
  },
  policyHints('a policy of a route goes under its `policies:`'),
);

/** The gateway's config file. Every object is strict: a key it does not know is an error. */
export const configSchema = strictObject(
  {
    server: serverSchema.prefault({}).describe('The HTTP server.'),
    simulator: simulatorSchema
      .exactOptional()
      .describe('Start the fault simulator in-process; providers reach it with ${simulator}.'),
    providers: z
      .record(providerNameSchema, providerSchema)
      .refine(hasEntries, 'at least one provider is needed')
      .describe('Providers by name; candidates name them before the slash.'),
    routes: z
      .record(z.string().min(1), routeSchema)
      .refine(hasEntries, 'at least one route is needed')
      .describe('Routes by name: what clients send as "model".'),
    defaults: policiesSchema.exactOptional().describe('Policies every route starts from.'),
    catalog: z.array(modelOverrideSchema).exactOptional().describe('Model facts: changes and new models.'),
    alerts: alertsSchema.exactOptional().describe('Alert rules and where alerts go.'),
    keys: z.array(keySchema).exactOptional().describe('Gateway API keys, stored as SHA-256 hashes.'),
  },
  policyHints("route policies go under `defaults:` (every route) or a route's `policies:`"),
).meta({ title: 'Steadfast gateway config' });

/** The config file as validated, before paths are resolved. */
export type GatewayConfigFile = z.output<typeof configSchema>;
/** The config file as written. */
export type GatewayConfigInput = z.input<typeof configSchema>;
export type RouteConfig = z.output<typeof routeSchema>;
export type ServerSettings = z.output<typeof serverSchema>;
