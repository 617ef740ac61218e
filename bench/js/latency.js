// page.evaluate(latency.js, {calc, field, output, values, preset}): for each value, set
// the field, dispatch `input`, and time until the output cell's data-value is rewritten;
// all on the page's clock, no Playwright round trip inside a sample. `preset` (name ->
// text) is typed first, untimed (e.g. a point value where the default is a range).
// "reply" events of window.calcRuntime split each time into worker and page.
async ({ calc, field, output, values, preset }) => {
  const root = document.querySelector(`[data-calculator="${calc}"]`);
  const cell = root.querySelector(`[data-output="${output}"]`);
  const runtime = window.calcRuntime;
  const nextFrame = () => new Promise((resolve) => {
    requestAnimationFrame(() => resolve(performance.now()));
  });
  const changed = () => new Promise((resolve) => {
    const timer = setTimeout(() => { mo.disconnect(); resolve(null); }, 10000);
    const mo = new MutationObserver(() => {
      clearTimeout(timer);
      mo.disconnect();
      resolve(performance.now());
    });
    mo.observe(cell, { attributes: true, attributeFilter: ["data-value"] });
  });
  const type = (name, value) => {
    const input = root.querySelector(`[name="${name}"]`);
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  for (const [name, value] of Object.entries(preset || {})) {
    const done = changed();
    type(name, value);
    await done;
  }
  let arrived;
  const off = runtime.on("reply", () => { arrived = performance.now(); });
  const times = [];
  const worker = [];
  const main = [];
  const framed = [];
  for (const value of values) {
    arrived = null;
    const done = changed();
    const t0 = performance.now();
    type(field, value);
    const t1 = await done;
    times.push(t1 === null ? null : t1 - t0);
    if (t1 !== null && arrived !== null) {
      worker.push(arrived - t0);
      main.push(t1 - arrived);
    }
    // The next frame after the update: when it starts, the new numbers are painted.
    const frame = await nextFrame();
    if (t1 !== null) framed.push(frame - t0);
    // Let that frame finish (raster included) before the next change, as it would
    // between a reader's keystrokes; otherwise each sample also pays for the last paint.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }
  off();
  const stats = runtime.stats();
  return {
    times, worker, main, framed,
    status: root.querySelector("[data-status]").textContent,
    stale: root.querySelector("[data-results]").hasAttribute("data-stale"),
    restarts: stats.restarts, timeouts: stats.timeouts, boots: stats.boots,
  };
}
