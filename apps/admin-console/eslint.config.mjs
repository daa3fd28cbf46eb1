import reactHooks from 'eslint-plugin-react-hooks';
import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  reactHooks.configs.flat['recommended-latest'] ?? reactHooks.configs.flat.recommended,
  // Browser code: it talks to the services over HTTP through @directory/client, never imports them.
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^@directory/(?!client$)', message: 'The console reaches the services through @directory/client only' }] },
      ],
    },
  },
];
