// The worker client: one Python worker per tab, kept across instant navigation. It
// matches replies to requests by their rid, abandons a computation that runs too long,
// and restarts a worker that stops or hangs, within one budget per tab. Controllers hold
// no worker; they call compute() and listen for "state".
import { Message } from "./protocol.js";

const WORKER_URL = new URL("worker.js", import.meta.url);
const TIMEOUT_MS = 2000;         // a point computation still running after this is abandoned
const RANGED_WORK = 5;           // a ranged run (10,000 samples) counts as this many point runs
const BOOT_TIMEOUT_MS = 120000;  // Python not started after this counts as a crash
// Restarts per tab, whatever stopped Python (a crash, a computation that ran too long, a
// boot that never finished). Past them the runtime stays in "error" until the reader
// asks for a retry, so a request that always overruns cannot restart Python forever.
const RESTARTS = 2;
// Text that may hold a range (parse.py's _RANGE, read generously: a false match only
// gives a computation longer before it is abandoned).
const MAY_BE_RANGE = /\sto\s|[–—]/i;

// "Your reading" runs every calculator of the site (and each one's crux), ranged or not.
const READING_CALCULATORS = 4;

// How long a request may run: TIMEOUT_MS per unit of work, a point run being one unit
// and a ranged run RANGED_WORK. A comparison's every scenario counts as ranged (the
// inputs a scenario leaves out take the defaults, which may be ranges).
function timeLimit(request) {
  const ranged = Object.values(request.inputs || {}).some((text) => MAY_BE_RANGE.test(String(text)));
  const units = request.type === Message.COMPARE ? RANGED_WORK * Math.max(1, request.scenarios.length)
    : request.type === Message.READING ? RANGED_WORK * READING_CALCULATORS
      : request.type === Message.SAMPLES || ranged ? RANGED_WORK : 1;
  return TIMEOUT_MS * units;
}

// What the page knows and the worker cannot see, given to the worker as its name: how
// it should boot (snapshot.js, plan). The page's `calc-boot` query parameter forces
// "snapshot" or "plain" (tests, the benchmark); Save-Data and a slow connection (the
// Network Information API's effectiveType 3g or worse) ask for the plain boot unless
// the snapshot is cached. early-start.js holds a copy of this function.
function bootHint() {
  const forced = new URLSearchParams(location.search).get("calc-boot");
  if (forced === "snapshot" || forced === "plain") return forced;
  const net = navigator.connection;
  return !net ? "" : net.saveData ? "save-data" : /2g|3g/.test(net.effectiveType) ? "slow" : "";
}

class Runtime {
  #worker = null;
  #bootTimer = 0;
  #nextRid = 1;
  #pending = new Map();          // request id (rid) -> {resolve, reject, timer}
  #listeners = { state: new Set(), reply: new Set() };
  #counts = { boots: 0, restarts: 0, timeouts: 0 };
  #ready = { at: null, ms: null };  // when Python last said ready: page clock, worker's own
  #state = "idle";               // idle | loading | ready | error
  #progress = "";                // what is loading, how far along; or why it failed
  #notice = "";                  // why Python is restarting, until it is ready again
  #versions = {};                // Pyodide's version and the wheel's file and sha256
  #boot = { path: null, reason: "" };  // how Python last started: "snapshot" | "plain", and why

  get state() { return this.#state; }
  get progress() { return this.#progress; }
  get notice() { return this.#notice; }

  start() {
    if (this.#worker) return;
    this.#state = "loading";
    this.#progress = "starting Python";
    // early-start.js (inlined in the <head>) may have started the worker already:
    // adopt it, and replay what it said in the meantime.
    const early = window.__calcEarly;
    window.__calcEarly = null;
    let worker = early ? early.worker : null;
    if (!worker) {
      try {
        worker = new Worker(WORKER_URL, { type: "module", name: bootHint() });
      } catch (error) {
        this.#fail(`the worker could not be created (${error.message})`);
        return;
      }
    }
    this.#worker = worker;
    this.#counts.boots += 1;
    clearTimeout(this.#bootTimer);
    this.#bootTimer = setTimeout(() => this.#crash("it took too long to start"), BOOT_TIMEOUT_MS);
    worker.onmessage = (event) => this.#receive(event.data, performance.now());
    worker.onerror = (event) => {
      event.preventDefault();
      this.#crash(event.message || "the worker script failed");
    };
    this.#changed();
    if (early) {
      worker.postMessage({ type: Message.START });  // it was held: fetching only
      for (const [message, at] of early.messages) this.#receive(message, at);
      if (early.error) this.#crash(early.error);
    }
  }

  // Ask for one computation; resolves to the bridge's reply. Only once the runtime is
  // ready (controllers ask then, and again after a restart); before, it rejects at once.
  compute(calc, inputs, view = {}) {
    return this.#ask({ type: Message.COMPUTE, calc, inputs, view });
  }

  // The samples of a ranged run, as CSV text (for a download).
  samples(calc, inputs) {
    return this.#ask({ type: Message.SAMPLES, calc, inputs });
  }

  // Scenarios ([{name, inputs}]) side by side, with one chart of them all.
  compare(calc, scenarios) {
    return this.#ask({ type: Message.COMPARE, calc, scenarios });
  }

  // Every calculator under the reader's inputs, with its crux (calculators/reading.py).
  reading(request) {
    return this.#ask({ type: Message.READING, calc: "reading", inputs: request });
  }

  // What the page needs to record where a result came from.
  get versions() { return { ...this.#versions }; }

  // After the restarts are spent (state "error"): start Python again, at the reader's
  // request. The budget is not renewed: a failure after this is final again at once.
  retry() {
    if (this.#state !== "error") return;
    this.#state = "idle";
    this.#notice = "";
    this.start();
  }

  #ask(request) {
    if (this.#state !== "ready") return Promise.reject(new Error(`Python is ${this.#state}`));
    return new Promise((resolve, reject) => {
      const rid = this.#nextRid++;
      const limit = timeLimit(request);
      const timer = setTimeout(() => {
        this.#pending.delete(rid);
        reject(new Error("timeout"));
        this.#counts.timeouts += 1;
        this.#recover(`a computation took longer than ${limit / 1000} seconds and was stopped`);
      }, limit);
      this.#pending.set(rid, { resolve, reject, timer });
      this.#worker.postMessage({ ...request, rid });
    });
  }

  // Subscribe to "state" (any change of state, progress or notice; the listener gets
  // stats()) or "reply" (a result arrived; the listener gets {rid}, and the same number
  // as `id`, its name before the protocol said rid). Returns the
  // unsubscribe function.
  on(event, listener) {
    const listeners = this.#listeners[event];
    if (!listeners) throw new Error(`no such runtime event: ${event}`);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  stats() {
    return {
      state: this.#state, progress: this.#progress, ...this.#counts,
      pending: this.#pending.size, readyAt: this.#ready.at, bootMs: this.#ready.ms,
      boot: this.#boot.path, bootReason: this.#boot.reason,
    };
  }

  #receive(message, at) {
    if (!message) return;
    if (message.type === Message.PROGRESS) {
      this.#progress = `${message.text} (${message.step} of ${message.of})`;
      this.#changed();
    } else if (message.type === Message.READY) {
      clearTimeout(this.#bootTimer);
      this.#ready = { at, ms: message.ms };
      this.#versions = { pyodide: message.pyodide, wheel: message.wheel };
      const { path = null, reason = "" } = message.boot || {};
      this.#boot = { path, reason };
      this.#state = "ready";
      this.#notice = "";
      this.#changed();
    } else if (message.type === Message.FATAL) {
      this.#crash(message.message);
    } else if (message.type === Message.RESULT) {
      const waiting = this.#pending.get(message.rid);
      if (!waiting) return;
      clearTimeout(waiting.timer);
      this.#pending.delete(message.rid);
      this.#emit("reply", { rid: message.rid, id: message.rid });
      try {
        waiting.resolve(JSON.parse(message.json));  // the bridge's reply, parsed once, here
      } catch (error) {
        waiting.reject(error);
      }
    }
  }

  #stop(reason) {
    clearTimeout(this.#bootTimer);
    if (this.#worker) this.#worker.terminate();
    this.#worker = null;
    for (const [, waiting] of this.#pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error(reason));
    }
    this.#pending.clear();
  }

  #crash(reason) {
    this.#recover(`Python stopped (${reason})`, reason);
  }

  // Restart Python while the tab's budget lasts; then fail for good (until retry()).
  #recover(notice, reason = notice) {
    if (this.#counts.restarts >= RESTARTS) {
      this.#fail(reason);
      return;
    }
    this.#counts.restarts += 1;
    this.#stop(notice);
    this.#state = "idle";
    this.#notice = `${notice}; Python is restarting.`;
    this.start();
  }

  #fail(reason) {
    this.#stop(reason);
    this.#state = "error";
    this.#progress = reason;
    this.#changed();
  }

  #changed() {
    this.#emit("state", this.stats());
  }

  #emit(event, detail) {
    for (const listener of this.#listeners[event]) {
      try {
        listener(detail);
      } catch (error) {
        reportError(error);  // one listener's failure must not stop the runtime
      }
    }
  }
}

export const runtime = new Runtime();

// What tests and the benchmark may read: counters and events, nothing to change.
// (A test that needs a crash kills the worker from inside, through the browser's
// debugging protocol; the page is not told, as with a real crash.)
export const surface = Object.freeze({
  stats: () => runtime.stats(),
  on: (event, listener) => runtime.on(event, listener),
});
