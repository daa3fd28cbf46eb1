module.exports = {
  displayName: 'admin-console',
  preset: '../../jest.preset.js',
  // The console's logic in Node: pure modules, and the session against the built auth-api (one
  // database per run). Its pages are tested in Chromium by e2e/admin-console.
  testEnvironment: 'node',
  globalSetup: '<rootDir>/../../libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/jest/global-teardown.ts',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  coverageDirectory: '../../coverage/apps/admin-console',
};
