// The jco runner's node side, in two steps so the slow one runs once per
// component rather than on every `funcp run`:
//   node jco-serve.mjs transpile <component.wasm> <out dir>
//     jco's transpiler, with the options `jco serve --isolate-requests
//     instance` uses, writes the JS bindings and core modules into <out dir>.
//     Exit status 3: the component does not export
//     wasi:http/incoming-handler; 4: the file is not a component.
//   node jco-serve.mjs serve <out dir> <host> <port>
//     serves wasi:http/incoming-handler from a transpiled dir, one fresh
//     component instance per request (a componentize-js component answers
//     one fetch event per instance, as under `wasmtime serve`).
// This file lives in the toolchain directory, so `@bytecodealliance/jco`
// resolves from its node_modules. The WASI host (preview2-shim) is the one
// jco itself depends on, the same one `jco serve` runs components with.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// funcp stops this process group on Ctrl-C; if funcp itself is killed
// outright (SIGKILL), do not go on as an orphan (a dead transpile's
// temporary directory is removed by the next run).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500).unref();

// The name of the generated module: <dir>/component.js.
const NAME = 'component';

const here = createRequire(import.meta.url);
const jcoMain = here.resolve('@bytecodealliance/jco');
const fromJco = createRequire(jcoMain);
const load = (specifier) => import(pathToFileURL(fromJco.resolve(specifier)).href);

async function transpileTo(componentPath, outDir) {
  const { transpile } = await import(pathToFileURL(jcoMain).href);
  let out;
  try {
    out = await transpile(await readFile(componentPath), {
      name: NAME,
      noTypescript: true,
      wasiShim: true,
      instantiation: 'sync', // lets us instantiate once per request
      quiet: true,
    });
  } catch (err) {
    console.error(String(err && err.message ? err.message : err).split('\n')[0]);
    process.exit(4);
  }
  if (!out.exports.some(([name]) => name.startsWith('wasi:http/incoming-handler@'))) {
    console.error(`exports: ${out.exports.map(([name]) => name).join(', ') || 'none'}`);
    process.exit(3);
  }
  for (const [name, bytes] of Object.entries(out.files)) {
    if (name.endsWith('.d.ts')) continue; // typings: not needed to run
    const path = join(outDir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }
  await writeFile(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
}

async function serve(dir, host, port) {
  const [{ HTTPServer }, { WASIShim }] = await Promise.all([
    load('@bytecodealliance/preview2-shim/http'),
    load('@bytecodealliance/preview2-shim/instantiation'),
  ]);
  const base = pathToFileURL(resolve(dir) + '/');
  const mod = await import(new URL(`${NAME}.js`, base).href);
  // Compile every core module before listening: the port then answers with
  // no compile on the first request, and the files are no longer needed.
  const compiled = new Map();
  const wasm = (await readdir(dir)).filter((f) => f.endsWith('.wasm'));
  await Promise.all(wasm.map(async (f) => {
    const url = new URL(f, base).href;
    compiled.set(url, await WebAssembly.compile(await readFile(new URL(url))));
  }));
  const coreModule = (path) => {
    const url = new URL(path, base).href;
    let m = compiled.get(url);
    if (!m) {
      m = new WebAssembly.Module(readFileSync(new URL(url)));
      compiled.set(url, m);
    }
    return m;
  };
  // Each instance answers one request. Instantiating is most of a request's
  // cost (the engine's memory image is copied in), so the next one is made
  // as soon as a request is answered, while the server is idle.
  // The component sees the function's variables (func.yaml run.envs and
  // -e, listed by funcp in FUNCP_FUNCTION_ENV) and none of ours, as under
  // wasmtime serve or in a container.
  const names = (process.env.FUNCP_FUNCTION_ENV ?? '').split(',').filter(Boolean);
  const env = Object.fromEntries(names.map((n) => [n, process.env[n] ?? '']));
  const fresh = () => mod.instantiate(coreModule, new WASIShim({ sandbox: { env } }).getImportObject());
  let spare = fresh();
  if (typeof spare.incomingHandler?.handle !== 'function')
    throw new Error('the component does not export wasi:http/incoming-handler');
  const handler = {
    handle(request, responseOutparam) {
      const instance = spare ?? fresh();
      spare = null;
      setImmediate(() => { spare ??= fresh(); });
      return instance.incomingHandler.handle(request, responseOutparam);
    },
  };
  new HTTPServer(handler).listen(Number(port), host);
}

const [mode, ...args] = process.argv.slice(2);
try {
  if (mode === 'transpile' && args.length === 2) {
    await transpileTo(args[0], args[1]);
  } else if (mode === 'serve' && args.length === 3) {
    await serve(...args);
  } else {
    console.error('usage: jco-serve.mjs transpile <component.wasm> <out dir>\n' +
                  '       jco-serve.mjs serve <dir> <host> <port>');
    process.exit(2);
  }
} catch (err) {
  console.error(`jco-serve ${mode}: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
}
