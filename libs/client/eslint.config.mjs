import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  // The client runs in browsers and REST clients: it imports nothing of ours. The tag rule lets
  // type:client reach libs/testing for the specs only; this keeps it out of the shipped code.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@directory/*'], message: 'libs/client depends on nothing of ours' }] }],
    },
  },
];
