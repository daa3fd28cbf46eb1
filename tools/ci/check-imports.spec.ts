import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkWorkspace, findProjects } from './check-imports';

/** A throwaway workspace: libs/a, libs/b and apps/web, each with a project.json. */
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'check-imports-'));
  const all: Record<string, string> = {
    'libs/a/project.json': '{ "name": "a" }',
    'libs/a/src/index.ts': 'export const a = 1;\n',
    'libs/b/project.json': '{ "name": "b" }',
    'apps/web/project.json': '{ "name": "web" }',
    'eslint.config.mjs': 'export default [];\n',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('check-imports', () => {
  const roots: string[] = [];
  const check = (files: Record<string, string>) => {
    const root = workspace(files);
    roots.push(root);
    return checkWorkspace(root);
  };
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('passes alias imports, imports inside a project, and workspace files outside every project', () => {
    expect(
      check({
        'libs/b/src/index.ts': [
          "import { a } from '@directory/a';",
          "import { b } from './b';",
          "export * from './b';",
          "import config from '../../../eslint.config.mjs';",
          "const notAnImport = '../../a/src/index';",
          "// import { a } from '../../a/src/index';",
          "export const lazy = () => import('@directory/a');",
          'export { a, b, config, notAnImport };',
        ].join('\n'),
        'libs/b/src/b.ts': 'export const b = 2;\n',
      }),
    ).toEqual([]);
  });

  it('fails on a relative import into another project, with file:line and the specifier', () => {
    const violations = check({ 'libs/b/src/index.ts': "\nimport { a } from '../../a/src/index';\nexport { a };\n" });
    expect(violations).toEqual([
      { file: 'libs/b/src/index.ts', line: 2, column: 19, specifier: '../../a/src/index', message: 'imports project "a" by path' },
    ]);
  });

  it('finds every form of specifier: export from, require, import(), typeof import(), jest module calls, import = require', () => {
    const violations = check({
      'libs/b/src/forms.ts': [
        "export * from '../../a/src/index';",
        "const viaRequire = require('../../a/src/index');",
        "const viaImport = import('../../a');",
        "type ViaType = typeof import('../../a/src/index');",
        "jest.mock('../../a/src/index');",
        "const actual = jest.requireActual('../../a/src/index');",
        "import viaEquals = require('../../a/src/index');",
      ].join('\n'),
      'libs/b/src/plain.cjs': "module.exports = require('../../../apps/web/main.js');\n",
    });
    expect(violations.map((v) => `${v.file}:${v.line}`)).toEqual([
      'libs/b/src/forms.ts:1',
      'libs/b/src/forms.ts:2',
      'libs/b/src/forms.ts:3',
      'libs/b/src/forms.ts:4',
      'libs/b/src/forms.ts:5',
      'libs/b/src/forms.ts:6',
      'libs/b/src/forms.ts:7',
      'libs/b/src/plain.cjs:1',
    ]);
    expect(violations.at(-1)?.message).toBe('imports project "web" by path');
  });

  it('fails on a computed specifier: a path built at run time, or a constant holding one', () => {
    const violations = check({
      // The shape libs/testing's start-auth-api had: the app loaded by a path the graph never saw.
      'libs/b/src/start.ts': [
        "import { resolve } from 'node:path';",
        "const ENTRY = resolve(__dirname, '../../../apps/web/src/main');",
        'export const start = async () => import(ENTRY);',
        "export const load = () => require(resolve(__dirname, '../../a/src/index'));",
        'export const mocked = (name: string) => jest.mock(`./${name}`);',
      ].join('\n'),
    });
    expect(violations.map(({ line, specifier, message }) => ({ line, specifier, message }))).toEqual([
      { line: 3, specifier: 'ENTRY', message: 'import() takes a computed specifier: what it loads is known only when it runs' },
      {
        line: 4,
        specifier: "resolve(__dirname, '../../a/src/index')",
        message: 'require() takes a computed specifier: what it loads is known only when it runs',
      },
      { line: 5, specifier: '`./${name}`', message: 'jest.mock() takes a computed specifier: what it loads is known only when it runs' },
    ]);
  });

  it('checks workspace files outside every project too, and skips node_modules and dist', () => {
    const violations = check({
      'scripts/run.ts': "import { a } from '../libs/a/src/index';\nexport { a };\n",
      'node_modules/pkg/index.js': "require('../../libs/a/src/index');\n",
      'dist/apps/web/main.js': "require('../../../libs/a/src/index');\n",
    });
    expect(violations.map((v) => v.file)).toEqual(['scripts/run.ts']);
  });

  it('reads the projects from project.json files, innermost root first', () => {
    const root = workspace({ 'libs/a/nested/project.json': '{ "name": "nested" }' });
    roots.push(root);
    expect(findProjects(root).map((p) => p.name)).toEqual(['nested', 'web', 'a', 'b']);
  });

  it('as a CLI: exits 1 and prints file:line and the import on a violation, 0 on a clean tree', () => {
    const run = (root: string) =>
      // From the workspace root, as CI runs it: `npm test` runs under tsx, whose tsconfig path
      // (relative, in the environment) children inherit.
      spawnSync(process.execPath, [require.resolve('tsx/cli'), join(__dirname, 'check-imports.ts'), root], {
        encoding: 'utf8',
        cwd: join(__dirname, '..', '..'),
      });
    const dirty = workspace({ 'libs/b/src/index.ts': "import { a } from '../../a/src/index';\nexport { a };\n" });
    const clean = workspace({ 'libs/b/src/index.ts': "import { a } from '@directory/a';\nexport { a };\n" });
    roots.push(dirty, clean);

    const failed = run(dirty);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('libs/b/src/index.ts:1:19  imports project "a" by path\n    ../../a/src/index');
    const passed = run(clean);
    expect(passed.status).toBe(0);
    expect(passed.stdout).toContain('no import crosses a project boundary by path (3 projects)');
  });
});
