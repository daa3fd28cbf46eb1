module.exports = {
  displayName: 'client',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // The client against the built auth-api and users-api, on one database per run (MONGODB_URI or the resolver).
  globalSetup: '<rootDir>/../../libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/jest/global-teardown.ts',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/libs/client',
};
