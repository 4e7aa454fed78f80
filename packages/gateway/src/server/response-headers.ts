import type { ResilienceReport } from '@steadfast/core';

/** Headers that tell a caller how its answer was obtained. */
export function resilienceHeaders(
  provider: string,
  model: string,
  report: ResilienceReport | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-steadfast-provider': provider,
    'x-steadfast-model': model,
  };
  if (report === undefined) return headers;
  headers['x-steadfast-attempts'] = String(report.attempts.length);
  headers['x-steadfast-fallback'] = report.fallbackUsed ? 'true' : 'false';
  if (report.cache !== undefined) headers['x-steadfast-cache'] = report.cache;
  if (report.cacheAgeMs !== undefined)
    headers['x-steadfast-cache-age-ms'] = String(Math.round(report.cacheAgeMs));
  if (report.degraded) headers['x-steadfast-degraded'] = 'true';
  return headers;
}
