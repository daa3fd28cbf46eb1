module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  // The specs here test the workspace scripts; those that need a database (reseal-factors) find one like every other test.
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  // tools/jest/*.cjs is plain CommonJS for Node; nothing to compile.
  transformIgnorePatterns: ['/node_modules/', '\\.cjs$'],
  moduleFileExtensions: ['ts', 'js', 'cjs'],
  coverageDirectory: '../coverage/tools',
};
