// One controller per calculator root ([data-calculator]): it binds the static form
// (generated at build time from the Python spec) to the runtime. Nothing here knows any
// one calculator: the page says which fields, presets and outputs exist, Python what
// they hold.
import { ACTIONS } from "./actions.js";
import { showText } from "./powers.js";
import { runtime } from "./runtime.js";
import { MAX_KEPT, atDefaults, readCompare, readOdds, readQuery, upgradeLink, writeQuery } from "./url-state.js";

const controllers = new WeakMap();
const URL_PAUSE_MS = 250;  // typing: the URL is written once the reader pauses this long

class Controller {
  constructor(root, notices) {
    this.root = root;
    this.calc = root.dataset.calculator;
    this.fields = [...root.querySelectorAll("input[name]")];
    this.status = root.querySelector("[data-status]");
    this.retry = root.querySelector("[data-retry]");
    this.results = root.querySelector("[data-results]");
    this.headline = root.querySelector("[data-headline]");
    this.presets = [...root.querySelectorAll("[data-preset]")];
    this.inFlight = false;
    this.queued = false;
    this.lastGood = null;
    this.drawn = new Map();  // chart key -> what it shows now
    this.started = false;
    this.editing = false;
    this.notice = notices.map((n) => n.text).join(" ");
    this.view = { scale: "probability" };
    this.compare = { on: false, kept: [] };
    this.caseNote = "";  // the preset just chosen, said again with its results
    this.urlTimer = 0;   // a URL write waiting for the reader to pause
    this.pushPending = false;  // that write starts a new history entry

    for (const input of this.fields) {
      input.addEventListener("input", () => this.changed(false));
      input.addEventListener("change", () => this.changed(true));
    }
    root.querySelector("form").addEventListener("submit", (event) => event.preventDefault());
    for (const hidden of root.querySelectorAll("[data-actions], [data-presets]")) hidden.hidden = false;
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

  // The status line; a notice about an old link stays in front until the reader edits.
  say(text) {
    this.status.textContent = this.notice && !text.startsWith(this.notice) ? `${this.notice} ${text}` : text;
  }

  runtimeChanged() {
    if (!this.root.isConnected) {  // instant navigation swapped the page away
      this.off();
      return;
    }
    if (this.retry) this.retry.hidden = runtime.state !== "error";
    if (runtime.state === "loading") {
      this.setState("loading");
      const restarting = runtime.notice ? `${runtime.notice} ` : "";
      this.say(`${restarting}Showing values computed when this page was built, while Python starts in your browser: ${runtime.progress}…`);
    } else if (runtime.state === "ready" && !this.started) {
      this.started = true;
      if (atDefaults(this.fields) && this.view.scale === "probability") {
        // The static results are the defaults computed by this same package at
        // build time: recomputing them would only delay "ready".
        this.markStale(false);
        this.setState("ready");
        this.say(`Python is ready in your browser: change any input and the results follow.`);
        this.refreshCompare();
      } else {
        this.request();
      }
    } else if (runtime.state === "ready" && this.root.dataset.state === "loading") {
      this.request();  // back after a restart: compute what the reader last typed
    } else if (runtime.state === "error") {
      // Restarts are spent (runtime.js): the numbers stay as they are, and Python
      // starts again only when the reader asks ("Start Python again", [data-retry]).
      this.setState("error");
      const what = runtime.stats().readyAt === null ? "could not start" : "stopped";
      const shown = this.lastGood ? "The numbers shown are the last ones Python computed."
        : "The numbers shown are the default values, computed when the site was built.";
      this.say(`Python ${what} in this browser (${runtime.progress}). ${shown} ` +
        "“Start Python again” tries once more.");
    }
  }

  // History: the first keystroke of an edit pushes an entry, later ones replace it,
  // and a committed change (blur, Enter, reset, a preset) ends the edit. Back then
  // steps through what the reader settled on, not through every keystroke.
  //
  // Python is asked first; the URL follows. Writing the URL goes through the browser's
  // session history, which now and then takes milliseconds: while the reader types it
  // is written once they pause, and at once when they commit.
  changed(commit) {
    this.notice = "";
    if (runtime.state === "ready") this.request();
    else this.markStale(!atDefaults(this.fields));
    const push = !this.editing;
    this.editing = !commit;
    clearTimeout(this.urlTimer);
    this.pushPending = this.pushPending || push;
    const write = () => {
      // Not once the page has gone (Back within the pause): it would write this
      // calculator's fields over the other page's URL.
      if (!this.root.isConnected) return;
      writeQuery(this.fields, this.pushPending);
      this.pushPending = false;
    };
    if (commit) write();
    else this.urlTimer = setTimeout(write, URL_PAUSE_MS);
    this.markPresets();
  }

  // A preset sets every input (those it does not name to their defaults), as typing would.
  applyPreset(button) {
    const values = JSON.parse(button.dataset.values || "{}");
    for (const input of this.fields) {
      input.value = Object.hasOwn(values, input.name) ? values[input.name] : input.dataset.default;
    }
    this.changed(true);
    // Said now, and again with the results, so a screen reader hears which case it is.
    this.caseNote = `“${button.dataset.label}”: ${button.dataset.note}`;
    this.say(this.caseNote);
  }

  // The preset whose inputs the form now holds reads as pressed.
  markPresets() {
    const now = this.inputs;
    for (const button of this.presets) {
      const values = JSON.parse(button.dataset.values || "{}");
      const match = this.fields.every((input) =>
        now[input.name] === (Object.hasOwn(values, input.name) ? values[input.name] : input.dataset.default));
      button.setAttribute("aria-pressed", String(match));
    }
  }

  // The comparison's code loads the first time it is shown (compare.js).
  refreshCompare() {
    if (!this.compare.on && !this.compareShown) return;
    this.compareShown = true;
    import("./compare.js").then((m) => m.refreshCompare(this), reportError);
  }

  setCompare(state) {
    this.compare = state;
    for (const button of this.root.querySelectorAll('[data-action="compare"]')) {
      button.setAttribute("aria-pressed", String(state.on));
    }
    const keep = this.root.querySelector('[data-action="keep-scenario"]');
    if (keep) keep.disabled = state.kept.length >= MAX_KEPT;
  }

  setScale(scale) {
    this.view = { scale };
    for (const button of this.root.querySelectorAll('[data-action="scale"]')) {
      button.setAttribute("aria-pressed", String(scale === "odds"));
    }
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
    runtime.compute(this.calc, inputs, this.view).then(
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
      const n = Object.keys(errors).filter((k) => k).length;
      const fields = n ? `${n === 1 ? "One field needs" : `${n} fields need`} attention; ` : "";
      const general = errors[""] ? ` ${errors[""]}` : "";
      this.say(`${fields}the results below are from the last valid input.${general}`);
      return;
    }
    this.lastGood = { reply, inputs, view: this.view };
    this.updateInputQuotes(inputs, reply.inputs);
    const head = reply.outputs[reply.headline.key];
    showText(this.headline, reply.headline.text);
    this.headline.dataset.value = head.value;
    for (const [key, out] of Object.entries(reply.outputs)) {
      const cell = this.root.querySelector(`[data-output="${key}"]`);
      if (cell) {
        showText(cell, out.text);
        cell.dataset.value = out.value;
      }
      for (const quote of document.querySelectorAll(`[data-quote="${this.calc}.${key}"]`)) {
        showText(quote, out.quote);  // the value alone (the mean when inputs are ranges)
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
      const caption = figure.querySelector("[data-chart-caption]");
      if (caption && chart.caption !== undefined) showText(caption, chart.caption);
      figure.hidden = !chart.svg;
    }
    this.markStale(false);
    this.setState("ready");
    this.refreshCompare();
    const note = this.caseNote ? `${this.caseNote} ` : "";
    this.caseNote = "";
    this.say(note + (reply.ranged
      ? "Updated in Python: ranges were sampled; each result is the mean over the samples (your credence, if the ranges are what you believe), with the median and 90% range beside it."
      : "Updated in Python in your browser."));
  }

  markStale(stale) {
    this.results.toggleAttribute("data-stale", stale);
    this.headline.toggleAttribute("data-stale", stale);
  }

  // Prose quoting an input shows the value last computed, never unvalidated text; a
  // movable one also keeps the parsed value it steps from (log2 for counts).
  updateInputQuotes(inputs, parsed) {
    for (const [name, value] of Object.entries(inputs)) {
      for (const quote of document.querySelectorAll(`[data-quote="${this.calc}.${name}"]`)) {
        showText(quote, value);
        if (quote.getAttribute("role") !== "spinbutton" || !parsed[name]) continue;
        quote.dataset.value = parsed[name].value;
        quote.setAttribute("aria-valuenow", parsed[name].value);
        quote.setAttribute("aria-valuetext", value);
      }
    }
  }

  applyQuery() {
    readQuery(this.fields);
    this.setScale(readOdds(this.calc) ? "odds" : "probability");
    this.setCompare(readCompare(this.calc));
    this.root.querySelector("[data-compare]").hidden = !this.compare.on;
    this.markPresets();
    // Until Python computes them, a shared link's inputs don't match the static
    // (default) results: say so rather than show numbers for other inputs.
    if (this.root.dataset.state !== "ready") this.markStale(!atDefaults(this.fields));
  }

  restoreFromUrl() {
    clearTimeout(this.urlTimer);  // the URL now says what the fields should hold
    this.pushPending = false;
    this.editing = false;
    this.applyQuery();
    if (runtime.state === "ready") this.request();
  }

  click(event) {
    const preset = event.target.closest("[data-preset]");
    if (preset && this.root.contains(preset)) {
      this.applyPreset(preset);
      return;
    }
    const target = event.target.closest("[data-action]");
    const name = target && target.dataset.action;
    if (name && Object.hasOwn(ACTIONS, name)) ACTIONS[name](this, target, event);
  }
}

// Give every calculator root in the document its controller; roots that have one keep
// it, so calling this again (each document$ emission) is harmless. A link of an older
// format, or one meant for another page, is brought up to date first.
export async function mount() {
  const roots = [...document.querySelectorAll("[data-calculator]")].filter((r) => !controllers.has(r));
  if (!roots.length) {
    // A page with no calculator (the home page once held one) still sends a calculator
    // link on to the page that holds it now; "Your reading" reads its own links.
    const here = document.querySelector("[data-calculator], [data-reading-root]");
    if (!here && new URLSearchParams(location.search).has("v")) {
      try { await upgradeLink([]); } catch (error) { reportError(error); }
    }
    return;
  }
  const onPage = roots.map((root) => ({
    calc: root.dataset.calculator,
    names: [...root.querySelectorAll("input[name]")].map((input) => input.name),
  }));
  let notices = [];
  try {
    notices = await upgradeLink(onPage);
  } catch (error) {
    reportError(error);  // an old link that cannot be read still opens the page
  }
  for (const root of roots) {
    if (controllers.has(root) || !root.isConnected) continue;
    const mine = notices.filter((n) => n.calc === root.dataset.calculator);
    controllers.set(root, new Controller(root, mine));
  }
}

// The controller of a calculator on this page, by id (for questions and moved numbers).
export function controllerOf(calc) {
  const root = document.querySelector(`[data-calculator="${calc}"]`);
  return root ? controllers.get(root) : undefined;
}

// Back and forward: each calculator on the page takes its inputs from the URL again.
export function restoreAll() {
  for (const root of document.querySelectorAll("[data-calculator]")) {
    const controller = controllers.get(root);
    if (controller) controller.restoreFromUrl();
  }
}
