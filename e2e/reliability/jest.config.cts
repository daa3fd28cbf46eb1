module.exports = {
  displayName: 'reliability',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // One database per run (MONGODB_URI or the resolver); the outage suite starts its own.
  globalSetup: '<rootDir>/../../libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/jest/global-teardown.ts',
  // Suites start real service processes and send hundreds of requests each; none asserts on time.
  testTimeout: 300_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  // tools/jest/*.cjs is plain CommonJS for Node; nothing to compile.
  transformIgnorePatterns: ['/node_modules/', '\\.cjs$'],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'html'],
  coverageDirectory: '../../coverage/e2e/reliability',
};
