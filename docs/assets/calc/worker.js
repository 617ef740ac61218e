// The calculators' Python runtime: one module worker per tab, Pyodide inside.
//
// Protocol (plain JSON both ways; no Python proxy ever leaves this file):
//   page -> worker  {type: "compute", id, calc, inputs}
//   worker -> page  {type: "progress", step, of, text}
//                   {type: "ready", ms}
//                   {type: "result", id, reply}      reply is the bridge's JSON
//                   {type: "fatal", message}         Python could not start
import { loadPyodide } from "../pyodide/pyodide.mjs";

const indexURL = new URL("../pyodide/", import.meta.url).href;
const lockFileURL = indexURL + "pyodide-lock.json";
const t0 = performance.now();

const post = (message) => self.postMessage(message);

// The calculators wheel, found by name in the site's pyodide-lock.json and fetched
// while Python starts. The browser checks its sha256 (Subresource Integrity) before a
// byte of it is used. Python imports it in place (zipimport, with the bytecode the
// build compiled for this very Pyodide), which skips Pyodide's package installer: the
// wheel is pure Python, so installing would only unpack files that import as well
// from the zip, and its tarfile/shutil/metadata machinery costs ~150 ms at start-up.
async function fetchWheel(name, lock) {
  const entry = (await lock).packages[name];
  if (!entry) throw new Error(`${name} is missing from pyodide-lock.json`);
  const hex = entry.sha256;
  const integrity = "sha256-" + btoa(String.fromCharCode(...hex.match(/../g).map((h) => parseInt(h, 16))));
  let response;
  try {
    response = await fetch(new URL(entry.file_name, indexURL), { integrity });
  } catch (error) {
    throw new Error(`${entry.file_name} could not be fetched or failed its sha256 check`);
  }
  if (!response.ok) throw new Error(`${entry.file_name}: HTTP ${response.status}`);
  return { file: entry.file_name, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function boot() {
  post({ type: "progress", step: 1, of: 2, text: "downloading and starting Python" });
  // One fetch of the lock file, shared by Pyodide and the wheel's lookup.
  const lock = fetch(lockFileURL).then((r) => {
    if (!r.ok) throw new Error(`pyodide-lock.json: HTTP ${r.status}`);
    return r.json();
  });
  const wheel = fetchWheel("calculators", lock);
  wheel.catch(() => {});  // awaited below; this only keeps an early failure from being "unhandled"
  const pyodide = await loadPyodide({
    indexURL, lockFileContents: lock, packageBaseUrl: indexURL, stdout: () => {}, stderr: () => {},
  });
  post({ type: "progress", step: 2, of: 2, text: "loading the calculators" });
  const { file, bytes } = await wheel;
  const path = `/lib/${file}`;
  pyodide.FS.writeFile(path, bytes);
  const globals = pyodide.toPy({ wheel: path });
  pyodide.runPython("import sys; sys.path.insert(0, wheel)", { globals });
  globals.destroy();
  // The bridge's module proxy lives as long as the worker: its run_json is the only
  // Python object JS ever holds, and only strings cross it.
  const bridge = pyodide.pyimport("calculators.bridge");
  const runJson = bridge.run_json;
  post({ type: "ready", ms: performance.now() - t0 });
  return (request) => runJson(request);
}

// Pyodide only logs some fatal start-up failures (a wasm that cannot be fetched or
// compiled) and leaves loadPyodide pending forever; turn those logs into a rejection.
const startupFailure = new Promise((_, reject) => {
  for (const level of ["warn", "error"]) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      original(...args);
      const text = args.map(String).join(" ");
      if (/wasm instantiation failed|Failed to fetch|Aborted\(/.test(text)) {
        reject(new Error(text.split("\n")[0]));
      }
    };
  }
});

const runtime = Promise.race([boot(), startupFailure]);
runtime.catch((error) => post({ type: "fatal", message: String(error && error.message || error) }));

// Pure apart from the runtime it awaits: one request in, one reply out.
async function handle(message) {
  const run = await runtime;
  const reply = JSON.parse(run(JSON.stringify({ id: message.calc, inputs: message.inputs })));
  return { type: "result", id: message.id, reply };
}

self.onmessage = (event) => {
  if (event.data && event.data.type === "compute") {
    const { id, calc } = event.data;
    handle(event.data).then(post, (error) => post({
      type: "result", id,
      reply: { ok: false, id: calc, errors: { "": `Python failed: ${String(error && error.message || error).slice(-300)}` } },
    }));
  }
};
