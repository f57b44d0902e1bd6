// A funcp function: an HTTP handler compiled to a WebAssembly component
// (wasi:http/proxy) by componentize-js. Each request is a "fetch" event.
addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  // console output goes to the function's log (funcp run shows it).
  console.log(`${event.request.method} ${url.pathname}`);
  event.respondWith(
    new Response(`Hello from funcp! Path: ${url.pathname}\n`, {
      headers: { "content-type": "text/plain; charset=utf-8" },
    }),
  );
});
