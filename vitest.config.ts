import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@steadfast/source', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['@steadfast/source', 'module', 'node', 'default'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
