// Bundles the web console for the engine to serve (docs/web.md): one ES module bundle
// of our sources and the npm packages, plus the page and its style, into the folder
// given as --out (the build tree's share/eventrunner/web). Run by CMake's web_console
// target; nothing here reaches the network.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : join(here, 'dist');

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'src/main.js')],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) copyFileSync(join(here, 'src', file), join(out, file));
console.log(`web console bundled into ${out}`);
