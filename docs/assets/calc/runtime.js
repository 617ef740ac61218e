// The worker client: one Python worker per tab, kept across instant navigation. It
// matches replies to requests by id, abandons a computation that runs too long, and
// restarts a worker that stops. Controllers hold no worker; they call compute() and
// listen for "state".
import { Message } from "./protocol.js";

const WORKER_URL = new URL("worker.js", import.meta.url);
const TIMEOUT_MS = 2000;         // a computation still running after this is abandoned
const BOOT_TIMEOUT_MS = 120000;  // Python not started after this counts as a crash
const CRASH_RESTARTS = 1;        // a crashed worker is restarted this often; then it is final

// What the page knows and the worker cannot see, given to the worker as its name: how
// it should boot (snapshot.js, plan). The page's `calc-boot` query parameter forces
// "snapshot" or "plain" (tests, the benchmark); Save-Data and a slow connection (the
// Network Information API's effectiveType 3g or worse) ask for the plain boot unless
// the snapshot is cached. early-start.js holds a copy of this function.
export function bootHint() {
  const forced = new URLSearchParams(location.search).get("calc-boot");
  if (forced === "snapshot" || forced === "plain") return forced;
  const net = navigator.connection;
  return !net ? "" : net.saveData ? "save-data" : /2g|3g/.test(net.effectiveType) ? "slow" : "";
}

class Runtime {
  #worker = null;
  #bootTimer = 0;
  #nextId = 1;
  #pending = new Map();          // request id -> {resolve, reject, timer}
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
  compare(calc, scenarios, view = {}) {
    return this.#ask({ type: Message.COMPARE, calc, scenarios, view });
  }

  // Every calculator under the reader's inputs, with its crux (calculators/reading.py).
  reading(request) {
    return this.#ask({ type: Message.READING, calc: "reading", inputs: request });
  }

  // What the page needs to record where a result came from.
  get versions() { return { ...this.#versions }; }

  #ask(request) {
    if (this.#state !== "ready") return Promise.reject(new Error(`Python is ${this.#state}`));
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error("timeout"));
        this.#counts.timeouts += 1;
        this.#restart(`a computation took longer than ${TIMEOUT_MS / 1000} seconds and was stopped`);
      }, TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#worker.postMessage({ ...request, id });
    });
  }

  // Subscribe to "state" (any change of state, progress or notice; the listener gets
  // stats()) or "reply" (a result arrived; the listener gets {id}). Returns the
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
      const waiting = this.#pending.get(message.id);
      if (!waiting) return;
      clearTimeout(waiting.timer);
      this.#pending.delete(message.id);
      this.#emit("reply", { id: message.id });
      waiting.resolve(message.reply);
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

  #restart(reason) {
    this.#stop(reason);
    this.#state = "idle";
    this.#notice = `${reason}; Python is restarting.`;
    this.start();
  }

  #crash(reason) {
    if (this.#counts.restarts < CRASH_RESTARTS) {
      this.#counts.restarts += 1;
      this.#restart(`Python stopped (${reason})`);
    } else {
      this.#fail(reason);
    }
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
