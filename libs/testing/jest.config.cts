module.exports = {
  displayName: 'testing',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // One database per run (MONGODB_URI or the resolver); each test file uses its own db name.
  // Jest puts no time limit on globalSetup, which may build FerretDB first (1-3 minutes).
  globalSetup: '<rootDir>/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/src/jest/global-teardown.ts',
  // These specs start and stop FerretDB servers themselves.
  testTimeout: 60000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/libs/testing',
};
