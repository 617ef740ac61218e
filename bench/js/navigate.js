// page.evaluate(navigate.js, {wanted, ids}): click the primary navigation's link to
// `wanted` (the target page's absolute URL, as a link's href property is) and time, on
// the page's clock, until the target page's calculators (`ids`) all hold Python
// results. Instant navigation keeps the window, so the clock and the runtime run on.
({ wanted, ids }) => new Promise((resolve) => {
  const links = [...document.querySelectorAll(".md-nav--primary a.md-nav__link")];
  const link = links.find((a) => a.href === wanted);
  if (!link) {
    resolve({ ms: null, error: `no navigation link to ${wanted}` });
    return;
  }
  const runtime = window.calcRuntime;
  const before = runtime.stats();
  const wantedIds = ids.slice().sort().join(",");
  const t0 = performance.now();
  let swapped = null;
  const check = () => {
    const roots = [...document.querySelectorAll("[data-calculator]")];
    if (roots.map((r) => r.dataset.calculator).sort().join(",") !== wantedIds) return;
    if (swapped === null) swapped = performance.now() - t0;
    if (!roots.every((r) => r.dataset.state === "ready")) return;
    mo.disconnect();
    clearTimeout(timer);
    const after = runtime.stats();
    resolve({
      ms: performance.now() - t0, swappedMs: swapped, path: location.pathname,
      stateBefore: before.state, bootsBefore: before.boots, bootsAfter: after.boots,
      restarts: after.restarts,
    });
  };
  const mo = new MutationObserver(check);
  const timer = setTimeout(() => { mo.disconnect(); resolve({ ms: null, error: "timeout" }); }, 60000);
  mo.observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"],
  });
  link.click();
})
