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
const t0 = performance.now();

const post = (message) => self.postMessage(message);

async function boot() {
  post({ type: "progress", step: 1, of: 2, text: "downloading and starting Python" });
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL: indexURL + "pyodide-lock.json",
    packages: ["calculators"],
    stdout: () => {},
    stderr: () => {},
  });
  post({ type: "progress", step: 2, of: 2, text: "loading the calculators" });
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
