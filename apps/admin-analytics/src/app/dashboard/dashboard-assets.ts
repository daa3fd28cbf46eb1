import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Files the page may load, by the name it uses, with their content type. */
const ASSET_TYPES: Record<string, string> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'chart.umd.min.js': 'text/javascript; charset=utf-8',
};

export interface DashboardAsset {
  body: Buffer;
  type: string;
}

/**
 * The dashboard's static files, read once at start-up (a missing file fails the boot, not a
 * request). They live in src/assets/dashboard and are copied next to main.js by the build;
 * Chart.js comes from node_modules (copied into assets/dashboard/vendor by the build), never
 * a CDN, so the page works offline.
 */
export class DashboardAssets {
  private readonly files = new Map<string, DashboardAsset>();
  private readonly template: string;

  constructor(baseDir = __dirname) {
    const dir = locate('dashboard directory', [join(baseDir, 'assets', 'dashboard'), join(baseDir, '..', '..', 'assets', 'dashboard')]);
    this.template = readFileSync(join(dir, 'index.html'), 'utf8');
    for (const name of ['dashboard.js', 'dashboard.css']) this.add(name, join(dir, name));
    this.add('chart.umd.min.js', locate('chart.js', [join(dir, 'vendor', 'chart.umd.min.js'), chartJsFromNodeModules(baseDir)]));
  }

  /** The page with its settings embedded as JSON data (not script): `<` escaped so nothing can close the tag. */
  page(settings: Record<string, unknown>): string {
    const json = JSON.stringify(settings).replace(/</g, '\\u003c');
    return this.template.replace('{{SETTINGS_JSON}}', json);
  }

  asset(name: string): DashboardAsset | undefined {
    return this.files.get(name);
  }

  private add(name: string, path: string): void {
    this.files.set(name, { body: readFileSync(path), type: ASSET_TYPES[name] });
  }
}

function chartJsFromNodeModules(baseDir: string): string {
  try {
    // Resolves chart.js's CommonJS entry (dist/chart.cjs); the browser build sits beside it.
    return join(dirname(createRequire(join(baseDir, 'noop.js')).resolve('chart.js')), 'chart.umd.min.js');
  } catch {
    return '';
  }
}

function locate(what: string, candidates: string[]): string {
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) throw new Error(`admin-analytics: ${what} not found (looked in ${candidates.filter(Boolean).join(', ')})`);
  return found;
}
