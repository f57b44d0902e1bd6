// Prepares the WIT directory a js-wasi function is built against:
//   node prepare-wit.mjs <toolchain dir>
// <toolchain dir> holds node_modules (the pinned npm packages) and
// wit/world.wit (the world funcp ships). This script
//  1. reads the wasi:http version the componentize-js engine exports
//     (from the engine wasm itself, never assumed),
//  2. refuses when world.wit includes a different version,
//  3. writes wit/deps/ from the WASI WIT snapshot bundled with the pinned
//     jco, with every wasi package set to the engine's version, so the
//     splicer's names match the engine's imports and exports exactly.
// componentize-js then validates every engine import/export against it.
import { readFile, readdir, mkdir, writeFile, rm, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const dir = process.argv[2] && resolve(process.argv[2]);
if (!dir) {
  console.error('usage: prepare-wit.mjs <toolchain dir>');
  process.exit(2);
}
// The packages' "exports" hide package.json, so locate them directly.
function packageDir(name) {
  return join(dir, 'node_modules', name);
}

function fail(msg) {
  console.error(`prepare-wit: ${msg}`);
  process.exit(1);
}

// 1. The engine's export of wasi:http/incoming-handler.
const cjsDir = packageDir('@bytecodealliance/componentize-js');
const enginePath = join(cjsDir, 'lib', 'starlingmonkey_embedding.wasm');
const engine = new WebAssembly.Module(await readFile(enginePath));
const versions = new Set();
for (const e of WebAssembly.Module.exports(engine)) {
  const m = /^wasi:http\/incoming-handler@([0-9]+\.[0-9]+\.[0-9]+)#/.exec(e.name);
  if (m) versions.add(m[1]);
}
if (versions.size !== 1)
  fail(`${enginePath}: expected one wasi:http/incoming-handler export, found ${versions.size}`);
const engineVersion = [...versions][0];

// 2. The shipped world must include the same version.
const worldPath = join(dir, 'wit', 'world.wit');
const world = await readFile(worldPath, 'utf8');
const inc = /include\s+wasi:http\/proxy@([0-9.]+)\s*;/.exec(world);
if (!inc) fail(`${worldPath}: no 'include wasi:http/proxy@<version>;'`);
if (inc[1] !== engineVersion)
  fail(`${worldPath} targets wasi:http ${inc[1]} but the componentize-js engine exports ${engineVersion}`);

// 3. deps/ from jco's newest 0.2.x snapshot that has wasi-http.
const builtin = join(packageDir('@bytecodealliance/jco'), 'lib', 'wit', 'builtin');
const snapshots = (await readdir(builtin))
  .filter((v) => /^0\.2\.[0-9]+$/.test(v))
  .sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]));
let snapshot;
for (const v of snapshots) {
  if ((await readdir(join(builtin, v))).includes('wasi-http')) {
    snapshot = v;
    break;
  }
}
if (!snapshot) fail(`${builtin}: no bundled WASI 0.2 snapshot with wasi-http`);

const deps = join(dir, 'wit', 'deps');
const tmp = `${deps}.tmp-${process.pid}`;
await rm(tmp, { recursive: true, force: true });
const from = new RegExp(`@${snapshot.replace(/\./g, '\\.')}\\b`, 'g');
for (const pkg of await readdir(join(builtin, snapshot))) {
  const src = join(builtin, snapshot, pkg);
  await mkdir(join(tmp, pkg), { recursive: true });
  for (const f of await readdir(src)) {
    if (!f.endsWith('.wit')) continue;
    const text = await readFile(join(src, f), 'utf8');
    await writeFile(join(tmp, pkg, f), text.replace(from, `@${engineVersion}`));
  }
}
await rm(deps, { recursive: true, force: true });
await rename(tmp, deps);
console.log(`wasi:http ${engineVersion} (engine), WIT from jco snapshot ${snapshot}`);
