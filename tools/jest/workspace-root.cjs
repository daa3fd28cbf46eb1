// The directory holding nx.json, searched from the working directory, then from this file:
// where the Jest reporter writes reports/jest and where summarize.cjs reads them.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

function workspaceRoot() {
  for (const start of [process.cwd(), __dirname]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('tools/jest: no nx.json above ' + process.cwd());
}

module.exports = { workspaceRoot };
