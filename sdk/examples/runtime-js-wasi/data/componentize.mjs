// Builds a js-wasi function into a WebAssembly component:
//   node componentize.mjs <source.js> <out.wasm> <wit dir> <world>
// Uses componentize-js's node API (no CLI wrapper, so paths with spaces or
// relative paths need no quoting). Writes <out.wasm> only on success.
import { componentize } from '@bytecodealliance/componentize-js';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const [source, out, witPath, worldName] = process.argv.slice(2);
if (!source || !out || !witPath || !worldName) {
  console.error('usage: componentize.mjs <source.js> <out.wasm> <wit dir> <world>');
  process.exit(2);
}
try {
  const { component } = await componentize({
    sourcePath: resolve(source),
    witPath: resolve(witPath),
    worldName,
  });
  await writeFile(out, component);
} catch (err) {
  console.error(`componentize ${source}: ${err && err.message ? err.message : err}`);
  await explainSyntaxErrors(source);
  process.exit(1);
}

// componentize-js reports only how many syntax errors it found; show where
// they are, with the parser it uses (oxc-parser, one of its dependencies).
async function explainSyntaxErrors(file) {
  let oxc;
  try {
    oxc = await import('oxc-parser');
  } catch {
    return;
  }
  const result = oxc.parseSync(file, await readFile(file, 'utf8'));
  for (const e of result.errors || []) console.error(e.codeframe || e.message);
}
