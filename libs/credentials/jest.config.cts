module.exports = {
  displayName: 'credentials',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // One database per run (MONGODB_URI or the resolver); each test file uses its own db name.
  globalSetup: '<rootDir>/../../libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/jest/global-teardown.ts',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/libs/credentials',
};
