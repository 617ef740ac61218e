// The one protocol between the page (runtime.js) and the Python worker (worker.js).
// Plain JSON both ways; no Python object ever crosses it.
//   page -> worker  {type: COMPUTE, id, calc, inputs, view}  inputs: name -> raw text;
//                                                       view: {scale: "odds"} or {}
//                   {type: SAMPLES, id, calc, inputs}   the samples as CSV text
//                   {type: COMPARE, id, calc, scenarios, view}  scenarios side by side
//                   {type: START}                       a held worker may start Python
//   worker -> page  {type: PROGRESS, step, of, text}    while Python starts
//                   {type: READY, ms, pyodide, wheel, boot}
//                                                       ms: the worker's own boot time;
//                                                       wheel: {file, sha256}; boot:
//                                                       {path: "snapshot" | "plain", reason}
//                   {type: RESULT, id, reply}           reply: the bridge's JSON (or CSV)
//                   {type: FATAL, message}              Python could not start
// Before any message, the worker's name (new Worker(url, {name})) is the page's boot
// hint: "", "snapshot", "plain", "save-data" or "slow" (runtime.js, bootHint), followed
// by ";held" when the worker should only fetch until the page says START
// (early-start.js).
export const Message = Object.freeze({
  COMPUTE: "compute",
  SAMPLES: "samples",
  COMPARE: "compare",
  READING: "reading",  // {type, id, calc: "reading", inputs: {link} or {given, guesses}}
  START: "start",
  PROGRESS: "progress",
  READY: "ready",
  RESULT: "result",
  FATAL: "fatal",
});

// A reply in the bridge's shape for a failure outside any one field: the page shows it
// as it shows the bridge's own errors (the "" key is the calculator as a whole).
export function errorReply(calc, message) {
  return { ok: false, id: calc, errors: { "": message } };
}

// An Error's message, or whatever was thrown, as text.
export function describe(error) {
  return String((error && error.message) || error);
}
