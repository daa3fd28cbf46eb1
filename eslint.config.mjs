import nx from '@nx/eslint-plugin';

// Two rules per project, both must hold (ARCHITECTURE.md "Layout", docs/decisions.md).
//
// The layer (type:*): apps → feature modules (inside apps) → data-access (repositories) →
// connections → schemas. Apps never import another app; schemas depend on nothing of ours.
// No wildcards, so a new project without tags cannot import anything until it is placed here.
const layers = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:data-access',
      'type:schemas',
      'type:connections',
      'type:platform',
      'type:auth',
      'type:testing',
      'type:client',
    ],
  },
  { sourceTag: 'type:schemas', onlyDependOnLibsWithTags: [] },
  // libs/client (the typed REST client, issue 15) runs in browsers: nothing server-side. Its
  // specs start the built services through libs/testing; its eslint.config.mjs keeps
  // @directory/* out of everything but the specs.
  { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:testing'] },
  // apps/admin-console runs in browsers: it reaches the services over HTTP through libs/client only;
  // its specs start the built auth-api through libs/testing (its eslint.config.mjs keeps that to specs).
  { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:client', 'type:testing'] },
  { sourceTag: 'type:connections', onlyDependOnLibsWithTags: ['type:schemas'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:connections', 'type:schemas'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:connections', 'type:schemas'] },
  { sourceTag: 'type:auth', onlyDependOnLibsWithTags: ['type:data-access', 'type:platform', 'type:connections', 'type:schemas'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:connections', 'type:schemas'] },
  // libs/data-tools and the tools/ scripts: seed, import and sync-indexes write every collection,
  // the secret-holding ones included (libs/credentials' EVERY_SCHEMA); the scripts also wire
  // data-tools and platform's config loading.
  {
    sourceTag: 'type:tools',
    onlyDependOnLibsWithTags: [
      'type:tools',
      'type:data-access',
      'type:platform',
      'type:connections',
      'type:schemas',
      'type:testing',
      'type:client',
    ],
  },
  // bench/ seeds through data-tools, resolves its database through libs/testing, and its baseline
  // server runs admin-analytics' pipelines from data-access.
  {
    sourceTag: 'type:bench',
    onlyDependOnLibsWithTags: ['type:tools', 'type:data-access', 'type:connections', 'type:schemas', 'type:testing'],
  },
  // e2e suites drive built apps over HTTP and as processes; they never import an app.
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:platform', 'type:connections', 'type:schemas'] },
];

// Who may see what (scope:*). Secrets stay home: libs/credentials (password hashes today;
// reset tokens, TOTP secrets and passkeys next) is scope:auth, so only auth-api and the
// operator tools can import it; users-api or admin-analytics importing it fails lint.
const scopes = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:shared', 'scope:auth'] },
  { sourceTag: 'scope:users', onlyDependOnLibsWithTags: ['scope:shared', 'scope:users'] },
  { sourceTag: 'scope:analytics', onlyDependOnLibsWithTags: ['scope:shared', 'scope:analytics'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared', 'scope:tools', 'scope:auth'] },
];

const depConstraints = [...layers, ...scopes];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/node_modules', '.data/**', 'reports/**', 'tmp/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints,
        },
      ],
    },
  },
];
