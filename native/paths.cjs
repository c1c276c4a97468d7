// Prints paths binding.gyp needs, resolved the way Node resolves faiss-node from this
// project (gyp runs `<!(node paths.cjs ...)` with native/ as its working directory).
'use strict';
const path = require('node:path');

const faissDir = path.dirname(require.resolve('faiss-node/package.json'));
// faiss-node's own node-addon-api (the version its faiss.cc was written against).
const addonApi = require(require.resolve('node-addon-api', { paths: [faissDir] }));

const what = process.argv[2];
// gyp's make generator needs sources relative to the .gyp file, not absolute.
if (what === 'faiss-source') console.log(path.relative(__dirname, path.join(faissDir, 'src', 'faiss.cc')));
else if (what === 'addon-api-include') console.log(path.resolve(addonApi.include_dir));
else {
  console.error(`paths.cjs: unknown argument ${JSON.stringify(what)} (faiss-source | addon-api-include)`);
  process.exit(1);
}
