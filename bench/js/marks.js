// Installed in every page of the benchmark before any page script (add_init_script).
// It marks, on the page's own clock (performance.now() from navigation start), when
// the build-time numbers are parsed and when every calculator on the page holds a
// Python-computed result; bench/measure.py reads window.__bench.marks. It touches
// nothing of the page's, and reads the runtime only through window.calcRuntime.
"use strict";

(() => {
  const marks = {
    staticParsed: null, staticFrame: null, staticInViewport: null,
    loading: null, ready: null, workerCreated: null, elementTiming: [],
    outputs: 0, outputsWithoutNumber: 0,
  };
  // Every output cell the parser puts in the page, and how many arrive without their
  // build-time number (data-value and data-text): a cell that arrives with it is never
  // painted without it, whenever the first paint comes.
  const count = (cell) => {
    marks.outputs += 1;
    if (!cell.dataset.value || !cell.dataset.text) marks.outputsWithoutNumber += 1;
  };
  const check = () => {
    const cell = document.querySelector("[data-output][data-value]");
    if (cell && marks.staticParsed === null) {
      marks.staticParsed = performance.now();
      cell.setAttribute("elementtiming", "calc-output");
      requestAnimationFrame(() => {
        marks.staticFrame = performance.now();
        marks.staticInViewport = cell.getBoundingClientRect().top < innerHeight;
      });
    }
    const roots = [...document.querySelectorAll("[data-calculator]")];
    if (!roots.length) return;
    if (marks.loading === null && roots.some((r) => r.dataset.state === "loading")) {
      marks.loading = performance.now();
    }
    if (marks.ready === null && roots.every((r) => r.dataset.state === "ready")) {
      marks.ready = performance.now();
    }
  };
  new MutationObserver((records) => {
    if (document.readyState === "loading") {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== 1) continue;
          if (node.matches("[data-output]")) count(node);
          node.querySelectorAll("[data-output]").forEach(count);
        }
      }
    }
    check();
  }).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"],
  });
  // When the page creates its first worker (when Python says it is ready is in
  // window.calcRuntime.stats().readyAt).
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      if (marks.workerCreated === null) marks.workerCreated = performance.now();
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) marks.elementTiming.push(e.renderTime || e.loadTime);
    }).observe({ type: "element", buffered: true });
  } catch {
    // no Element Timing in this browser
  }
  const paints = () => Object.fromEntries(
    performance.getEntriesByType("paint").map((e) => [e.name, e.startTime]));
  // Python's replies, counted from the moment app.js publishes window.calcRuntime: the
  // cold measurement checks that its result was computed in the page.
  const bench = { marks, paints, replies: 0 };
  let surface;
  Object.defineProperty(window, "calcRuntime", {
    configurable: true,
    get: () => surface,
    set: (value) => {
      surface = value;
      if (value && typeof value.on === "function") value.on("reply", () => { bench.replies += 1; });
    },
  });
  window.__bench = bench;
})();
