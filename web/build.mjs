// Bundles the viewer into target/classes/rld/web/ (the jar's rld/web/): rld.js, the page and the CSS,
// plus chunks/ for what loads on demand (the clip encoders). Everything is bundled (three,
// apache-arrow, uPlot, mediabunny, gifenc): the viewer works offline, no CDN.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.env.RLD_WEB_OUT || join(here, 'target', 'classes', 'rld', 'web');
rmSync(join(out, 'chunks'), { recursive: true, force: true }); // no stale chunks in the jar
mkdirSync(out, { recursive: true });

await build({
  entryPoints: { rld: join(here, 'src', 'main.js') },
  bundle: true,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  sourcemap: false,
  target: ['es2022'],
  outdir: out,
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(join(here, 'src', 'index.html'), join(out, 'index.html'));
const css = readFileSync(join(here, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'), 'utf8')
  + '\n' + readFileSync(join(here, 'src', 'style.css'), 'utf8');
writeFileSync(join(out, 'rld.css'), css);
console.log(`rld web: wrote ${out}`);
