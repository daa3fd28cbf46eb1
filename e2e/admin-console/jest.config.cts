module.exports = {
  displayName: 'admin-console-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // One database per run (MONGODB_URI or the resolver); the suite makes its own database in it.
  globalSetup: '<rootDir>/../../libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/jest/global-teardown.ts',
  // Four processes and a browser start per file, and argon2 hashes every sign-in; nothing asserts on time.
  testTimeout: 180_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  transformIgnorePatterns: ['/node_modules/', '\\.cjs$'],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'html'],
  coverageDirectory: '../../coverage/e2e/admin-console',
};
