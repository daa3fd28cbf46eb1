/**
 * CI check: no import reaches into another Nx project by path.
 *
 *   npx tsx tools/ci/check-imports.ts [workspace root]
 *
 * Nx builds its project graph (and with it `affected`, and the tag rules of eslint.config.mjs)
 * from module specifiers it can resolve, i.e. the `@directory/*` aliases of tsconfig.base.json.
 * Two kinds of import escape the graph; this check fails on each:
 *
 *   1. A relative or absolute specifier that resolves into the root of ANOTHER project (a
 *      directory holding a project.json) than the importing file's own; files outside every
 *      project (workspace configs) count as a project of their own. Import the alias instead,
 *      or a secondary entry point declared in tsconfig.base.json `paths`.
 *   2. A computed specifier: import(), require(), require.resolve() or a jest module call
 *      (mock, doMock, unmock, dontMock, setMock, requireActual, requireMock,
 *      createMockFromModule) with anything but a string literal. What it loads is known only
 *      when it runs (`import(resolve(__dirname, '../../apps/x/src/main'))`), so no graph sees it.
 *
 * Specifiers are read with the TypeScript parser from static imports, `export … from`,
 * `import x = require()`, `typeof import()` and the calls above, in every .ts .tsx .mts .cts .js
 * .jsx .mjs .cjs file except under the directories in SKIPPED_DIRS. Paths that are not module
 * specifiers (a spawned script, a Jest config's globalSetup) are not imports and not checked.
 *
 * Exceptions are allowed only through EXCEPTIONS below, one entry per file and specifier, each
 * with its reason. There are none.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'out-tsc',
  'coverage',
  'reports',
  'tmp',
  '.nx',
  '.data',
  '.git',
  '.angular',
  '.cache',
]);
const JEST_MODULE_CALLS = new Set([
  'mock',
  'doMock',
  'unmock',
  'dontMock',
  'setMock',
  'requireActual',
  'requireMock',
  'createMockFromModule',
]);

interface Exception {
  /** Workspace-relative path of the importing file. */
  file: string;
  /** The specifier as written (kind 1), or the argument's source text (kind 2). */
  specifier: string;
  reason: string;
}

const EXCEPTIONS: readonly Exception[] = [];

export interface Project {
  name: string;
  /** Workspace-relative, '/'-separated. */
  root: string;
}

export interface Violation {
  file: string;
  line: number;
  column: number;
  specifier: string;
  message: string;
}

/** Every project.json below `workspaceRoot`, longest root first (the innermost project wins). */
export function findProjects(workspaceRoot: string): Project[] {
  const projects: Project[] = [];
  for (const file of walk(workspaceRoot, (name) => name === 'project.json')) {
    const root = toPosix(relative(workspaceRoot, dirname(file)));
    if (root === '') continue; // a root project.json would make every path "inside" it
    const name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name ?? root;
    projects.push({ name, root });
  }
  return projects.sort((a, b) => b.root.length - a.root.length || a.root.localeCompare(b.root));
}

/** The project a workspace-relative path belongs to, or undefined for workspace files. */
export function projectOf(projects: readonly Project[], path: string): Project | undefined {
  return projects.find((project) => path === project.root || path.startsWith(project.root + '/'));
}

export function checkWorkspace(workspaceRoot: string, exceptions: readonly Exception[] = EXCEPTIONS): Violation[] {
  const root = resolve(workspaceRoot);
  const projects = findProjects(root);
  const violations: Violation[] = [];
  const isSource = (name: string) => SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts');
  for (const file of walk(root, isSource)) {
    const path = toPosix(relative(root, file));
    for (const violation of checkFile(root, path, readFileSync(file, 'utf8'), projects)) {
      if (!exceptions.some((e) => e.file === violation.file && e.specifier === violation.specifier)) violations.push(violation);
    }
  }
  return violations;
}

/** The violations in one file (`path` workspace-relative). */
export function checkFile(workspaceRoot: string, path: string, text: string, projects: readonly Project[]): Violation[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
  const own = projectOf(projects, path);
  const violations: Violation[] = [];
  const report = (node: ts.Node, specifier: string, message: string) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    violations.push({ file: path, line: line + 1, column: character + 1, specifier, message });
  };
  const checkLiteral = (node: ts.Node, specifier: string) => {
    if (!specifier.startsWith('.') && !isAbsolute(specifier)) return; // a package or an alias
    const target = toPosix(relative(workspaceRoot, resolve(workspaceRoot, dirname(path), specifier)));
    const targetProject = projectOf(projects, target);
    // A workspace file outside every project is no project (eslint.config.mjs, package.json).
    if (targetProject && targetProject !== own) {
      report(node, specifier, `imports project "${targetProject.name}" by path`);
    }
  };
  const checkArgument = (call: ts.Node, argument: ts.Expression | undefined, callee: string) => {
    if (!argument) return;
    if (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) {
      checkLiteral(argument, argument.text);
    } else {
      const written = argument.getText(source);
      report(call, written, `${callee}() takes a computed specifier: what it loads is known only when it runs`);
    }
  };

  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      checkLiteral(node.moduleSpecifier, node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      checkArgument(node, node.moduleReference.expression, 'require');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      checkLiteral(node.argument.literal, node.argument.literal.text);
    } else if (ts.isCallExpression(node)) {
      const callee = moduleCallee(node.expression);
      if (callee) checkArgument(node, node.arguments[0], callee);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return violations;
}

/** 'import', 'require', 'require.resolve', 'jest.mock', …; undefined for any other call. */
function moduleCallee(expression: ts.Expression): string | undefined {
  if (expression.kind === ts.SyntaxKind.ImportKeyword) return 'import';
  if (ts.isIdentifier(expression) && expression.text === 'require') return 'require';
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
    const [object, method] = [expression.expression.text, expression.name.text];
    if (object === 'require' && method === 'resolve') return 'require.resolve';
    if (object === 'jest' && JEST_MODULE_CALLS.has(method)) return `jest.${method}`;
  }
  return undefined;
}

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function* walk(dir: string, wanted: (name: string) => boolean): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* walk(join(dir, entry.name), wanted);
    } else if (entry.isFile() && wanted(entry.name)) {
      yield join(dir, entry.name);
    }
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

export function formatViolations(violations: readonly Violation[]): string {
  const lines = violations.map((v) => `${v.file}:${v.line}:${v.column}  ${v.message}\n    ${v.specifier}`);
  return [
    ...lines,
    '',
    `check-imports: ${violations.length} import(s) reach into another project by path or by a computed specifier.`,
    'Nx cannot see these edges (nx graph, affected, the tag rules). Import the project through its',
    '@directory/* alias (tsconfig.base.json paths), with a string literal. See tools/ci/check-imports.ts.',
  ].join('\n');
}

function main(): void {
  const root = resolve(process.argv[2] ?? join(__dirname, '..', '..'));
  const violations = checkWorkspace(root);
  if (violations.length > 0) {
    console.error(formatViolations(violations));
    process.exit(1);
  }
  console.log(`check-imports: no import crosses a project boundary by path (${findProjects(root).length} projects)`);
}

if (require.main === module) main();
