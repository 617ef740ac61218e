// Binds the static calculator forms (generated at build time from the Python specs)
// to the Python runtime in a Web Worker. Nothing here knows any one calculator: the
// page says which fields and outputs exist, the worker says what they hold.
"use strict";

(() => {
  const SCRIPT_URL = document.currentScript ? document.currentScript.src : location.href;
  const WORKER_URL = new URL("worker.js", SCRIPT_URL);
  const TIMEOUT_MS = 2000;       // a computation still running after this is abandoned
  const BOOT_TIMEOUT_MS = 120000; // Python not started after this counts as a crash
  const LINK_FORMAT = "1";       // the `v` query parameter of shared links

  // ---------------------------------------------------------------------------
  // The runtime: one worker per tab, kept across instant navigation.
  // ---------------------------------------------------------------------------
  const runtime = {
    worker: null,
    state: "idle",          // idle | loading | ready | error
    progress: "",
    restarts: 0,
    timeouts: 0,            // computations stopped at the time limit
    nextId: 1,
    pending: new Map(),     // request id -> {resolve, reject, timer}
    listeners: new Set(),   // controllers told about state changes

    start() {
      if (this.worker) return;
      this.state = "loading";
      this.progress = "starting Python";
      // early.js (in the <head>) may have started the worker already: adopt it.
      const early = window.__calcEarly;
      window.__calcEarly = null;
      let worker = early ? early.worker : null;
      if (!worker) {
        try {
          worker = new Worker(WORKER_URL, { type: "module" });
        } catch (error) {
          this.fail(`the worker could not be created (${error.message})`);
          return;
        }
      }
      this.worker = worker;
      clearTimeout(this.bootTimer);
      this.bootTimer = setTimeout(() => this.crash("it took too long to start"), BOOT_TIMEOUT_MS);
      worker.onmessage = (event) => this.receive(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.crash(event.message || "the worker script failed");
      };
      this.notify();
      if (early) {
        for (const message of early.messages) this.receive(message);
        if (early.error) this.crash(early.error);
      }
    },

    receive(message) {
      if (!message) return;
      if (message.type === "progress") {
        this.progress = `${message.text} (${message.step} of ${message.of})`;
        this.notify();
      } else if (message.type === "ready") {
        clearTimeout(this.bootTimer);
        this.state = "ready";
        this.notify();
      } else if (message.type === "fatal") {
        this.crash(message.message);
      } else if (message.type === "result") {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        clearTimeout(waiting.timer);
        this.pending.delete(message.id);
        waiting.resolve(message.reply);
      }
    },

    compute(calc, inputs) {
      return new Promise((resolve, reject) => {
        const id = this.nextId++;
        const timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new Error("timeout"));
          this.timeouts += 1;
          this.restart("a computation took longer than 2 seconds and was stopped");
        }, TIMEOUT_MS + (this.state === "ready" ? 0 : 60000));
        this.pending.set(id, { resolve, reject, timer });
        this.worker.postMessage({ type: "compute", id, calc, inputs });
      });
    },

    stop(reason) {
      clearTimeout(this.bootTimer);
      if (this.worker) this.worker.terminate();
      this.worker = null;
      for (const [, waiting] of this.pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error(reason));
      }
      this.pending.clear();
    },

    restart(reason) {
      this.stop(reason);
      this.state = "idle";
      this.notice = `${reason}; Python is restarting.`;
      this.start();
    },

    crash(reason) {
      // A crashed runtime is restarted once; a second crash is final.
      if (this.restarts < 1) {
        this.restarts += 1;
        this.restart(`Python stopped (${reason})`);
      } else {
        this.fail(reason);
      }
    },

    fail(reason) {
      this.stop(reason);
      this.state = "error";
      this.progress = reason;
      this.notify();
    },

    notify() {
      for (const listener of this.listeners) listener();
    },
  };

  // ---------------------------------------------------------------------------
  // One controller per calculator root element.
  // ---------------------------------------------------------------------------
  const controllers = new WeakMap();

  class Controller {
    constructor(root) {
      this.root = root;
      this.calc = root.dataset.calculator;
      this.fields = [...root.querySelectorAll("input[name]")];
      this.status = root.querySelector("[data-status]");
      this.results = root.querySelector("[data-results]");
      this.inFlight = false;
      this.queued = false;
      this.lastGood = null;
      this.drawn = new Map();  // chart key -> what it shows now
      this.started = false;
      this.editing = false;
      this.onRuntime = () => this.runtimeChanged();

      for (const input of this.fields) {
        input.addEventListener("input", () => this.changed(false));
        input.addEventListener("change", () => this.changed(true));
      }
      root.querySelector("form").addEventListener("submit", (event) => event.preventDefault());
      root.querySelector("[data-actions]").hidden = false;
      root.addEventListener("click", (event) => this.click(event));
      this.applyQuery(new URLSearchParams(location.search));
      runtime.listeners.add(this.onRuntime);
      runtime.start();
      this.runtimeChanged();
    }

    get inputs() {
      const inputs = {};
      for (const input of this.fields) inputs[input.name] = input.value;
      return inputs;
    }

    setState(state) {
      this.root.dataset.state = state;
    }

    say(text) {
      this.status.textContent = text;
    }

    runtimeChanged() {
      if (!this.root.isConnected) {
        runtime.listeners.delete(this.onRuntime);
        return;
      }
      if (runtime.state === "loading") {
        this.setState("loading");
        const notice = runtime.notice ? `${runtime.notice} ` : "";
        this.say(`${notice}Showing the essay's values while Python starts in your browser: ${runtime.progress}…`);
      } else if (runtime.state === "ready" && !this.started) {
        this.started = true;
        runtime.notice = "";
        if (this.atDefaults()) {
          // The static results are the defaults computed by this same package at
          // build time: recomputing them would only delay "ready".
          this.markStale(false);
          this.setState("ready");
          this.say("Python is ready in your browser: change any input and the results follow.");
        } else {
          this.request();
        }
      } else if (runtime.state === "ready" && this.started && this.root.dataset.state === "loading") {
        this.request();
      } else if (runtime.state === "error") {
        this.setState("error");
        this.say(
          `Python could not start in this browser (${runtime.progress}). ` +
          "The numbers shown are the essay's values, computed when the site was built.",
        );
      }
    }

    // History: the first keystroke of an edit pushes an entry, later ones replace it,
    // and a committed change (blur, Enter, reset) ends the edit. Back then steps
    // through what the reader settled on, not through every keystroke.
    changed(commit) {
      this.syncQuery(!this.editing);
      this.editing = !commit;
      if (runtime.state === "ready") this.request();
      else this.markStale(!this.atDefaults());
    }

    atDefaults() {
      return this.fields.every((input) => input.value === input.dataset.default);
    }

    // The latest input always wins: one computation in flight per calculator, and
    // any input arriving meanwhile is coalesced into a single follow-up request.
    request() {
      if (this.inFlight) {
        this.queued = true;
        this.setState("busy");
        return;
      }
      this.inFlight = true;
      this.queued = false;
      this.setState("busy");
      const inputs = this.inputs;
      runtime.compute(this.calc, inputs).then(
        (reply) => {
          this.inFlight = false;
          if (this.queued) return this.request();  // a newer input supersedes this reply
          this.show(reply, inputs);
        },
        () => {
          this.inFlight = false;
          if (runtime.state === "error") return;
          this.setState("loading");
          this.markStale(true);
        },
      );
    }

    show(reply, inputs) {
      const errors = reply.ok ? {} : reply.errors || {};
      for (const input of this.fields) {
        const message = errors[input.name] || "";
        const slot = this.root.querySelector(`[data-error-for="${input.name}"]`);
        if (slot) slot.textContent = message;
        if (message) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
      if (!reply.ok) {
        this.setState("ready");
        this.markStale(true);
        const general = errors[""] ? ` ${errors[""]}` : "";
        const n = Object.keys(errors).filter((k) => k).length;
        this.say(
          `${n === 1 ? "One field needs" : `${n} fields need`} attention; ` +
          `the results below are from the last valid input.${general}`,
        );
        return;
      }
      this.lastGood = { reply, inputs };
      this.updateInputQuotes(inputs);
      for (const [key, out] of Object.entries(reply.outputs)) {
        const cell = this.root.querySelector(`[data-output="${key}"]`);
        if (cell) {
          cell.textContent = out.text;
          cell.dataset.value = out.value;
        }
        for (const quote of document.querySelectorAll(`[data-quote="${this.calc}.${key}"]`)) {
          quote.textContent = out.text;
          quote.dataset.value = out.value;
        }
      }
      for (const [key, chart] of Object.entries(reply.charts)) {
        const figure = this.root.querySelector(`[data-chart="${key}"]`);
        if (!figure) continue;
        // The SVG and table are built by the package from numbers, with every text
        // escaped there; nothing the reader typed reaches them unescaped.
        // Unchanged charts are left alone: re-parsing them costs a layout and a paint.
        const drawn = chart.svg + chart.table;
        if (this.drawn.get(key) !== drawn) {
          figure.querySelector("[data-chart-svg]").innerHTML = chart.svg;
          figure.querySelector("[data-chart-table]").innerHTML = chart.table;
          this.drawn.set(key, drawn);
        }
        figure.hidden = !chart.svg;
      }
      this.markStale(false);
      this.setState("ready");
      this.say(reply.ranged
        ? "Updated in Python: ranges were sampled; results show the median and the 90% range."
        : "Updated in Python in your browser.");
    }

    markStale(stale) {
      this.results.toggleAttribute("data-stale", stale);
    }

    // Prose quoting an input shows the value last computed, never unvalidated text.
    updateInputQuotes(inputs) {
      for (const [name, value] of Object.entries(inputs)) {
        for (const quote of document.querySelectorAll(`[data-quote="${this.calc}.${name}"]`)) {
          quote.textContent = value;
        }
      }
    }

    // --- the URL: only values that differ from the defaults, plus v=1 -------------
    applyQuery(params) {
      for (const input of this.fields) {
        const value = params.get(input.name);
        input.value = value === null ? input.dataset.default : value;
      }
      // Until Python computes them, a shared link's inputs don't match the static
      // (default) results: say so rather than show numbers for other inputs.
      if (this.root.dataset.state !== "ready") this.markStale(!this.atDefaults());
    }

    syncQuery(push) {
      const params = new URLSearchParams(location.search);
      for (const input of this.fields) {
        if (input.value === input.dataset.default) params.delete(input.name);
        else params.set(input.name, input.value);
      }
      params.delete("v");
      const rest = params.toString();
      const query = rest ? `?v=${LINK_FORMAT}&${rest}` : "";
      const url = `${location.pathname}${query}${location.hash}`;
      if (url === `${location.pathname}${location.search}${location.hash}`) return;
      if (push) history.pushState(null, "", url);
      else history.replaceState(history.state, "", url);
    }

    restoreFromUrl() {
      this.editing = false;
      this.applyQuery(new URLSearchParams(location.search));
      if (runtime.state === "ready") this.request();
    }

    // --- buttons -------------------------------------------------------------------
    click(event) {
      const target = event.target.closest("[data-action]");
      if (!target) return;
      const action = target.dataset.action;
      if (action === "reset") {
        for (const input of this.fields) input.value = input.dataset.default;
        this.changed(true);
      } else if (action === "copy-link") {
        this.copyLink();
      } else if (action === "download-json" || action === "download-csv") {
        this.download(action.endsWith("json") ? "json" : "csv");
      } else if (action === "show-python") {
        event.preventDefault();
        this.showPython(target);
      }
    }

    copyLink() {
      const link = location.href;
      const done = () => this.say("Link copied: it reproduces exactly these inputs.");
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(link).then(done, () => this.say(`Copy this link: ${link}`));
      } else {
        this.say(`Copy this link: ${link}`);
      }
    }

    download(kind) {
      if (!this.lastGood) {
        this.say("Results can be downloaded once Python has computed them.");
        return;
      }
      const { reply, inputs } = this.lastGood;
      let text;
      let type;
      if (kind === "json") {
        const outputs = {};
        for (const [key, out] of Object.entries(reply.outputs)) outputs[key] = out;
        text = JSON.stringify({ calculator: this.calc, link: location.href, inputs, outputs }, null, 2);
        type = "application/json";
      } else {
        const cell = (s) => `"${String(s).replace(/"/g, '""')}"`;
        const rows = [["kind", "key", "value", "text"]];
        for (const [key, value] of Object.entries(inputs)) rows.push(["input", key, value, value]);
        for (const [key, out] of Object.entries(reply.outputs)) rows.push(["output", key, out.value, out.text]);
        text = rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
        type = "text/csv";
      }
      const url = URL.createObjectURL(new Blob([text], { type }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `${this.calc}.${kind}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }

    showPython(link) {
      let panel = this.root.querySelector("[data-python]");
      if (panel) {
        panel.hidden = !panel.hidden;
        link.setAttribute("aria-expanded", String(!panel.hidden));
        return;
      }
      panel = document.createElement("pre");
      panel.dataset.python = "";
      panel.className = "calc__python";
      panel.tabIndex = 0;
      panel.setAttribute("aria-label", "Python source");
      panel.textContent = "Loading…";
      link.parentElement.after(panel);
      link.setAttribute("aria-expanded", "true");
      fetch(link.href).then((r) => (r.ok ? r.text() : Promise.reject(new Error(r.status)))).then(
        (text) => { panel.textContent = text; },
        () => { panel.textContent = "The source could not be loaded; follow the link instead."; },
      );
    }
  }

  function mount() {
    for (const root of document.querySelectorAll("[data-calculator]")) {
      if (!controllers.has(root)) controllers.set(root, new Controller(root));
    }
  }

  window.addEventListener("popstate", () => {
    for (const root of document.querySelectorAll("[data-calculator]")) {
      const controller = controllers.get(root);
      if (controller) controller.restoreFromUrl();
    }
  });

  // mkdocs-material emits document$ on the first load and after each instant
  // navigation; mounting is idempotent.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }

  // The service worker (sw.js at the site's root) keeps the site, Pyodide included,
  // for repeat visits and offline reading. It is registered once the page is quiet:
  // after Python is ready on a calculator page (its first fill of the cache then comes
  // from the HTTP cache, not a second download), after `load` elsewhere.
  function registerServiceWorker() {
    if (!("serviceWorker" in navigator) || registerServiceWorker.done) return;
    registerServiceWorker.done = true;
    navigator.serviceWorker.register(new URL("../../sw.js", SCRIPT_URL)).catch(() => {});
  }
  const whenQuiet = () => {
    if (runtime.state === "ready") registerServiceWorker();
    else if (runtime.state === "idle") setTimeout(registerServiceWorker, 1000);
  };
  runtime.listeners.add(whenQuiet);
  if (document.readyState === "complete") whenQuiet();
  else window.addEventListener("load", whenQuiet);

  // For tests and the benchmark: how many times Python booted in this tab.
  window.__calcRuntime = runtime;
})();
