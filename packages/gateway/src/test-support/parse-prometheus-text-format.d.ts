/**
 * Types for `parse-prometheus-text-format` 1.1.1, which ships none: one CommonJS function
 * (`module.exports = parsePrometheusTextFormat`), read here as a default import. Values stay text, as
 * the parser leaves them (`"+Inf"`, `"1e-7"`).
 */
declare module 'parse-prometheus-text-format' {
  namespace parsePrometheusTextFormat {
    type Labels = Record<string, string>;

    /** A counter, gauge or untyped sample. */
    interface Sample {
      value: string;
      labels?: Labels;
      timestamp_ms?: string;
    }

    /**
     * A histogram as the parser folds it: bucket counts by `le`, `sum` and `count`. It folds every
     * series of a family into one such object, and keeps `sum` and `count` only for a series without
     * labels (see `exposition.ts`).
     */
    interface Histogram {
      buckets?: Record<string, string>;
      sum?: string;
      count?: string;
      labels?: Labels;
    }

    interface Family {
      name: string;
      /** The HELP text, unescaped; `''` without one. */
      help: string;
      type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
      metrics: Array<Sample | Histogram>;
    }
  }

  /** @throws Error `Encountered invalid line: …` for a line the format does not allow */
  function parsePrometheusTextFormat(text: string): parsePrometheusTextFormat.Family[];

  export = parsePrometheusTextFormat;
}
