import type { Config } from 'jest';

// ts-jest in ESM mode; type checking is `npm run typecheck`'s job, so tests only transpile.
const esm = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testEnvironment: 'node',
} satisfies Config;

const config: Config = {
  // Coverage (npm test runs with --coverage): at least 80 % of the lines of the actions and of the service.
  coverageProvider: 'v8',
  collectCoverageFrom: ['actions/**/*.ts', 'app/src/**/*.ts', '!**/__tests__/**', '!**/*.d.ts'],
  coverageReporters: ['text-summary', 'json-summary', 'lcov'],
  coverageThreshold: {
    global: {},
    './actions/': { lines: 80 },
    './app/src/': { lines: 80 },
  },
  projects: [
    { ...esm, displayName: 'actions', testMatch: ['<rootDir>/actions/**/__tests__/**/*.test.ts'] },
    { ...esm, displayName: 'app', testMatch: ['<rootDir>/app/__tests__/**/*.test.ts'] },
    { ...esm, displayName: 'action-tests', testMatch: ['<rootDir>/action-tests/**/*.test.ts'] },
    { ...esm, displayName: 'pipeline', testMatch: ['<rootDir>/pipeline/__tests__/**/*.test.ts'] },
    { ...esm, displayName: 'infra', testMatch: ['<rootDir>/infra/test/**/*.test.ts'] },
    { ...esm, displayName: 'scripts', testMatch: ['<rootDir>/scripts/__tests__/**/*.test.ts'] },
    { ...esm, displayName: 'stand-ins', testMatch: ['<rootDir>/stand-ins/__tests__/**/*.test.ts'] },
  ],
};

export default config;
