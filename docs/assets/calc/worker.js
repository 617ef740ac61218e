// The calculators' Python runtime: one module worker per tab, Pyodide inside. It speaks
// protocol.js; no Python proxy ever leaves this file. It boots from the build's memory
// snapshot when it can (snapshot.js), and the plain way otherwise or if that fails.
import { loadPyodide, version } from "../pyodide/pyodide.mjs";
import { Message, describe, errorReply } from "./protocol.js";
import { installStdlib, plan, prefetch, restore } from "./snapshot.js";

const indexURL = new URL("../pyodide/", import.meta.url).href;
const lockFileURL = indexURL + "pyodide-lock.json";
const t0 = performance.now();

const post = (message) => self.postMessage(message);
const integrity = (hex) => "sha256-" + btoa(String.fromCharCode(...hex.match(/../g).map((h) => parseInt(h, 16))));

// The page's boot hint, and whether this worker is held (early-start.js): a held worker
// downloads what it needs at once and starts Python only once the page says START.
const [hint, held] = self.name.split(";");
let begin = () => {};
const started = held ? new Promise((resolve) => { begin = resolve; }) : Promise.resolve();

// pyodide.asm.wasm: fetched by this worker at once and read into a copy (the snapshot
// needs its data segments; and so a held worker has it all before it may spend CPU),
// and compiled as soon as the worker may spend CPU. Pyodide would compile it only once
// it has imported pyodide.asm.mjs and been given the unpacked snapshot; compiled here,
// the compile overlaps the unpacking. Pyodide's own fetch() of it is answered with this
// response, once, and its WebAssembly.instantiateStreaming() of that response with an
// instance of the module compiled here (by compileStreaming, from a real fetch()
// response, so the browser's cache of compiled code works as it did for Pyodide). The
// copy is taken before anything reads the body (this reaction is registered first).
const wasmURL = indexURL + "pyodide.asm.wasm";
// pyodide.asm.mjs (1.2 MB), fetched and parsed while the worker is held: Pyodide's own
// import() of it then finds it in the module map (or its failure).
import("../pyodide/pyodide.asm.mjs").catch(() => {});
function fetchWasm(started) {
  const response = fetch(wasmURL);
  const bytes = response.then((r) => {
    if (!r.ok) throw new Error(`pyodide.asm.wasm: HTTP ${r.status}`);
    return r.clone().arrayBuffer();
  });
  const compiled = started.then(() => WebAssembly.compileStreaming(response));
  response.catch(() => {});  // Pyodide's fetch() gets it, and the failure with it
  bytes.catch(() => {});     // awaited by restore()
  compiled.catch(() => {});  // awaited by Pyodide's instantiateStreaming()
  const real = self.fetch;
  let unused = true;
  self.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url !== wasmURL || !unused) return real(input, init);
    unused = false;
    return response;
  };
  const instantiate = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (source, imports) => {
    if (source !== response) return instantiate.call(WebAssembly, source, imports);
    return compiled.then(async (module) => ({ module, instance: await WebAssembly.instantiate(module, imports) }));
  };
  return { response, bytes };
}
// The calculators wheel, found by name in the site's pyodide-lock.json and fetched
// while Python starts. The browser checks its sha256 (Subresource Integrity) before a
// byte of it is used. Python imports it in place (zipimport, with the bytecode the
// build compiled for this very Pyodide), which skips Pyodide's package installer: the
// wheel is pure Python, so installing would only unpack files that import as well
// from the zip, and its tarfile/shutil/metadata machinery costs ~150 ms at start-up.
async function fetchWheel(name, lock) {
  const entry = (await lock).packages[name];
  if (!entry) throw new Error(`${name} is missing from pyodide-lock.json`);
  let response;
  try {
    response = await fetch(new URL(entry.file_name, indexURL), { integrity: integrity(entry.sha256) });
  } catch (error) {
    throw new Error(`${entry.file_name} could not be fetched or failed its sha256 check`, { cause: error });
  }
  if (!response.ok) throw new Error(`${entry.file_name}: HTTP ${response.status}`);
  return { file: entry.file_name, bytes: new Uint8Array(await response.arrayBuffer()) };
}

// Pyodide only logs some fatal start-up failures (a wasm that cannot be fetched or
// compiled, an abort) and leaves loadPyodide pending forever: each boot races its
// loadPyodide against those logs.
let failed = () => {};
for (const level of ["warn", "error"]) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    original(...args);
    const text = args.map(String).join(" ");
    if (/wasm instantiation failed|Failed to fetch|Aborted\(/.test(text)) failed(new Error(text.split("\n")[0]));
  };
}
function load(lock, extra) {
  const started = loadPyodide({
    indexURL, lockFileContents: lock, packageBaseUrl: indexURL, stdout: () => {}, stderr: () => {}, ...extra,
  });
  return Promise.race([started, new Promise((_, reject) => { failed = reject; })]);
}

// Start Python with the calculators importable; resolve to the runner (the bridge's
// three doors, one per request type: JSON text in, JSON text out).
async function boot() {
  post({ type: Message.PROGRESS, step: 1, of: 2, text: "downloading and starting Python" });
  // One fetch of the lock file, shared by Pyodide and the wheel's lookup.
  const lock = fetch(lockFileURL).then((r) => {
    if (!r.ok) throw new Error(`pyodide-lock.json: HTTP ${r.status}`);
    return r.json();
  });
  const wheel = fetchWheel("calculators", lock);
  wheel.catch(() => {});  // awaited below; this only keeps an early failure from being "unhandled"
  const wasm = fetchWasm(started);
  const chosen = await plan(hint, indexURL);
  const how = { path: "plain", reason: chosen.reason };
  let pyodide = null;
  if (chosen.path === "snapshot") {
    try {
      const entry = (await lock).packages.calculators;
      pyodide = await restore((extra) => load(lock, extra), chosen, indexURL, { pyodide: version, wheel: entry.sha256 }, started, wasm.bytes);
      // The wheel's file, which the restored interpreter imports from (sys.path and
      // zipimport's index of it are in the snapshot; files are not).
      const { file, bytes } = await wheel;
      pyodide.FS.writeFile(`/lib/${file}`, bytes);
      how.path = "snapshot";
    } catch (error) {
      how.reason = `the snapshot failed: ${describe(error)}`;
      pyodide = null;
    }
  }
  if (!pyodide) {
    await started;
    const [plain, { file, bytes }] = await Promise.all([load(lock, {}), wheel]);
    pyodide = plain;
    post({ type: Message.PROGRESS, step: 2, of: 2, text: "loading the calculators" });
    const path = `/lib/${file}`;
    pyodide.FS.writeFile(path, bytes);
    const globals = pyodide.toPy({ wheel: path });
    try {
      pyodide.runPython("import sys; sys.path.insert(0, wheel)", { globals });
    } finally {
      globals.destroy();
    }
  }
  // The bridge's module proxy lives as long as the worker (its attributes are borrowed
  // from it): its three doors are the only Python objects JS ever holds, and only
  // strings cross them.
  const bridge = pyodide.pyimport("calculators.bridge");
  let reading = null;
  const doors = {
    [Message.COMPUTE]: bridge.run_json,
    [Message.SAMPLES]: bridge.samples_json,
    [Message.COMPARE]: bridge.compare_json,
    // The "Your reading" page's door, imported when first asked (calculators/reading.py),
    // so the snapshot need not hold it. After a snapshot boot its import needs modules of
    // the standard library not yet fetched: it fails as "internal", and reply() asks again
    // once the library is in.
    [Message.READING]: (request) => (reading ||= pyodide.pyimport("calculators.reading").reading_json)(request),
  };
  const entry = (await lock).packages.calculators;
  post({
    type: Message.READY, ms: performance.now() - t0, pyodide: pyodide.version,
    wheel: { file: entry.file_name, sha256: entry.sha256 }, boot: how,
  });
  const run = { doors, stdlib: null };
  if (how.path === "snapshot") {
    run.stdlib = installStdlib(pyodide, indexURL, integrity(chosen.manifest.stdlib_sha256))
      .catch(() => {})
      .finally(() => { run.stdlib = null; });
  } else if (chosen.prefetch) {
    prefetch(chosen.prefetch);
  }
  return run;
}

// The runner every request is handled with. If Python cannot start the page is told
// once (FATAL), and from then on each request still gets a reply, in the bridge's error
// shape, naming that same failure.
const python = boot().catch((error) => {
  post({ type: Message.FATAL, message: describe(error) });
  return { doors: null, failure: error, stdlib: null };
});

// One request in, its RESULT out (null for a message that is not a request): the
// bridge's JSON text, posted as it is, to be parsed once, by the page.
function answer(run, message) {
  if (!message || ![Message.COMPUTE, Message.SAMPLES, Message.COMPARE, Message.READING].includes(message.type)) return null;
  const { rid, calc, inputs, scenarios, view } = message;
  let json;
  try {
    if (!run.doors) throw run.failure;
    json = run.doors[message.type](JSON.stringify({ calc, inputs, scenarios, view }));
  } catch (error) {
    json = errorReply(calc, "internal", `Python failed: ${describe(error).slice(-300)}`);
  }
  return { type: Message.RESULT, rid, json };
}

// A reply's error code, "" for a success. The bridge and errorReply write "ok" first, so
// a success (large: charts, samples) is never parsed here; a failure is small.
const errorCode = (json) => (/^\{"ok": ?false/.test(json) ? JSON.parse(json).error.code : "");

// A request that came before the standard library did (after a snapshot boot) and
// failed inside Python (code "internal") may have needed a module the snapshot lacks:
// asked again once the library is in. (The snapshot holds every module the calculators
// import, so this is a safety net: tests/pyodide/snapshot.mjs answers every case
// without the library.)
function reply(run, message) {
  const out = answer(run, message);
  const pending = run.stdlib;
  return out && pending && errorCode(out.json) === "internal" ? pending.then(() => answer(run, message)) : out;
}

self.onmessage = (event) => {
  if (event.data && event.data.type === Message.START) begin();
  else python.then((run) => reply(run, event.data)).then((out) => out && post(out));
};
