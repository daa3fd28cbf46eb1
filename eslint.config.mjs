import nx from '@nx/eslint-plugin';

// Dependency direction (ARCHITECTURE.md "Layout"): apps use libs, never another app;
// schemas depend on nothing of ours; connections on schemas only. No wildcards, so a
// new project without tags cannot import anything until it is placed in this graph.
const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:schemas', 'type:connections', 'type:platform', 'type:auth', 'type:testing'],
  },
  { sourceTag: 'type:schemas', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:connections', onlyDependOnLibsWithTags: ['type:schemas'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:connections', 'type:schemas'] },
  { sourceTag: 'type:auth', onlyDependOnLibsWithTags: ['type:platform', 'type:connections', 'type:schemas'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:connections', 'type:schemas'] },
  { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:connections', 'type:schemas', 'type:testing'] },
  // e2e suites drive built apps over HTTP and as processes; they never import an app.
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:platform', 'type:connections', 'type:schemas'] },
];

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
