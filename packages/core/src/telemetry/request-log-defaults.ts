/** Defaults of the request log. */
export const requestLogDefaults = {
  // A provider error body echoed into a message can run to kilobytes; two thousand characters keep the
  // cause readable and a log line cheap to ship.
  maxBodyChars: 2_000,
  // As for spans: requests in flight whose route and attempt numbers are remembered at once.
  maxOpenRequests: 10_000,
} as const;
