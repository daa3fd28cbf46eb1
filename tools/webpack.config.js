// dist/tools/sync-indexes.js: the index build the image runs on deploy (`entrypoint.sh
// sync-indexes`). Workspace libs are bundled, npm packages stay external (the image's node_modules).
// tsconfig.build.json holds only sync-indexes.ts, so the build type-checks what it ships.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

module.exports = {
  // Only the plugin's entry (sync-indexes), not webpack's default ./src.
  entry: {},
  output: {
    path: join(__dirname, '../dist/tools'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './sync-indexes.ts',
      outputFileName: 'sync-indexes.js',
      tsConfig: './tsconfig.build.json',
      optimization: false,
      outputHashing: 'none',
      sourceMap: true,
    }),
  ],
};
