// One controller per calculator root ([data-calculator]): it binds the static form
// (generated at build time from the Python spec) to the runtime. Nothing here knows any
// one calculator: the page says which fields and outputs exist, Python what they hold.
import { ACTIONS } from "./actions.js";
import { runtime } from "./runtime.js";
import { atDefaults, readQuery, writeQuery } from "./url-state.js";

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

    for (const input of this.fields) {
      input.addEventListener("input", () => this.changed(false));
      input.addEventListener("change", () => this.changed(true));
    }
    root.querySelector("form").addEventListener("submit", (event) => event.preventDefault());
    root.querySelector("[data-actions]").hidden = false;
    root.addEventListener("click", (event) => this.click(event));
    this.applyQuery();
    this.off = runtime.on("state", () => this.runtimeChanged());
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
    if (!this.root.isConnected) {  // instant navigation swapped the page away
      this.off();
      return;
    }
    if (runtime.state === "loading") {
      this.setState("loading");
      const notice = runtime.notice ? `${runtime.notice} ` : "";
      this.say(`${notice}Showing the essay's values while Python starts in your browser: ${runtime.progress}…`);
    } else if (runtime.state === "ready" && !this.started) {
      this.started = true;
      if (atDefaults(this.fields)) {
        // The static results are the defaults computed by this same package at
        // build time: recomputing them would only delay "ready".
        this.markStale(false);
        this.setState("ready");
        this.say("Python is ready in your browser: change any input and the results follow.");
      } else {
        this.request();
      }
    } else if (runtime.state === "ready" && this.root.dataset.state === "loading") {
      this.request();  // back after a restart: compute what the reader last typed
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
    writeQuery(this.fields, !this.editing);
    this.editing = !commit;
    if (runtime.state === "ready") this.request();
    else this.markStale(!atDefaults(this.fields));
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

  applyQuery() {
    readQuery(this.fields);
    // Until Python computes them, a shared link's inputs don't match the static
    // (default) results: say so rather than show numbers for other inputs.
    if (this.root.dataset.state !== "ready") this.markStale(!atDefaults(this.fields));
  }

  restoreFromUrl() {
    this.editing = false;
    this.applyQuery();
    if (runtime.state === "ready") this.request();
  }

  click(event) {
    const target = event.target.closest("[data-action]");
    const name = target && target.dataset.action;
    if (name && Object.hasOwn(ACTIONS, name)) ACTIONS[name](this, target, event);
  }
}

// Give every calculator root in the document its controller; roots that have one keep
// it, so calling this again (each document$ emission) is harmless.
export function mount() {
  for (const root of document.querySelectorAll("[data-calculator]")) {
    if (!controllers.has(root)) controllers.set(root, new Controller(root));
  }
}

// Back and forward: each calculator on the page takes its inputs from the URL again.
export function restoreAll() {
  for (const root of document.querySelectorAll("[data-calculator]")) {
    const controller = controllers.get(root);
    if (controller) controller.restoreFromUrl();
  }
}
