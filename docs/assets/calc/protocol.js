// The one protocol between the page (runtime.js) and the Python worker (worker.js).
// Plain data both ways; no Python object ever crosses it. `rid` numbers a request (the
// page matches the RESULT to it); `calc` names the calculator.
//   page -> worker  {type: COMPUTE, rid, calc, inputs, view}  inputs: name -> raw text;
//                                                       view: {scale: "odds"} or {}
//                   {type: SAMPLES, rid, calc, inputs}  the samples of a ranged run
//                   {type: COMPARE, rid, calc, scenarios}  scenarios side by side
//                   {type: START}                       a held worker may start Python
//   worker -> page  {type: PROGRESS, step, of, text}    while Python starts
//                   {type: READY, ms, pyodide, wheel, boot}
//                                                       ms: the worker's own boot time;
//                                                       wheel: {file, sha256}; boot:
//                                                       {path: "snapshot" | "plain", reason}
//                   {type: RESULT, rid, json}           json: the bridge's reply as JSON
//                                                       text (calculators/README.md),
//                                                       parsed by the page alone
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

// A failed reply in the bridge's shape, as JSON text, for a failure outside Python's
// doors (Python failed or never started): the page shows it as it shows the bridge's
// own errors ("" in `errors` is the calculator as a whole).
export function errorReply(calc, code, message) {
  return JSON.stringify({ ok: false, id: calc, error: { code, message }, errors: { "": message } });
}

// An Error's message, or whatever was thrown, as text.
export function describe(error) {
  return String((error && error.message) || error);
}
