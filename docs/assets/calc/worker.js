// The calculators' Python runtime: one module worker per tab, Pyodide inside. It speaks
// protocol.js; no Python proxy ever leaves this file.
import { loadPyodide } from "../pyodide/pyodide.mjs";
import { Message, describe, errorReply } from "./protocol.js";

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
    throw new Error(`${entry.file_name} could not be fetched or failed its sha256 check`, { cause: error });
  }
  if (!response.ok) throw new Error(`${entry.file_name}: HTTP ${response.status}`);
  return { file: entry.file_name, bytes: new Uint8Array(await response.arrayBuffer()) };
}

// Start Python with the calculators importable; resolve to the bridge's run_json
// (JSON text in, JSON text out).
async function boot() {
  post({ type: Message.PROGRESS, step: 1, of: 2, text: "downloading and starting Python" });
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
  post({ type: Message.PROGRESS, step: 2, of: 2, text: "loading the calculators" });
  const { file, bytes } = await wheel;
  const path = `/lib/${file}`;
  pyodide.FS.writeFile(path, bytes);
  const globals = pyodide.toPy({ wheel: path });
  try {
    pyodide.runPython("import sys; sys.path.insert(0, wheel)", { globals });
  } finally {
    globals.destroy();
  }
  // The bridge's module proxy lives as long as the worker (its attributes are borrowed
  // from it): run_json and samples_csv_json are the only Python objects JS ever holds,
  // and only strings cross them.
  const bridge = pyodide.pyimport("calculators.bridge");
  const runJson = bridge.run_json;
  const samplesCsv = bridge.samples_csv_json;
  const compareJson = bridge.compare_json;
  const entry = (await lock).packages.calculators;
  post({
    type: Message.READY, ms: performance.now() - t0, pyodide: pyodide.version,
    wheel: { file: entry.file_name, sha256: entry.sha256 },
  });
  return {
    compute: (request) => runJson(request),
    samples: (request) => samplesCsv(request),
    compare: (request) => compareJson(request),
  };
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

// The runner every request is handled with. If Python cannot start the page is told
// once (FATAL), and from then on the runner throws that same failure, so each request
// still gets a reply, in the bridge's error shape.
const python = Promise.race([boot(), startupFailure]).catch((error) => {
  post({ type: Message.FATAL, message: describe(error) });
  const fail = () => { throw error; };
  return { compute: fail, samples: fail, compare: fail };
});

// Pure: one message and the runner in, the reply out (null for a message it does not
// answer). Everything it needs arrives as arguments; it keeps no state.
const ANSWERS = {
  [Message.COMPUTE]: (run, request) => JSON.parse(run.compute(request)),
  [Message.SAMPLES]: (run, request) => run.samples(request),
  [Message.COMPARE]: (run, request) => JSON.parse(run.compare(request)),
};

export function handle(run, message) {
  if (!message || !Object.hasOwn(ANSWERS, message.type)) return null;
  const { id, calc, inputs, scenarios, view } = message;
  let reply;
  try {
    const request = JSON.stringify({ id: calc, inputs, scenarios, view: view || {} });
    reply = ANSWERS[message.type](run, request);
  } catch (error) {
    reply = errorReply(calc, `Python failed: ${describe(error).slice(-300)}`);
  }
  return { type: Message.RESULT, id, reply };
}

self.onmessage = (event) => python.then((run) => handle(run, event.data)).then((out) => out && post(out));
