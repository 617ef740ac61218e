// Printing (or saving as PDF) shows the page's current state: every folded part of a
// calculator open, and the link that reproduces it written out as a URL. The print
// stylesheet (calc.css) hides the controls, shows folded parts and prints the dark
// palette light; the browser's print events also open the folded parts for real.
const opened = [];

// Each calculator's printed link, kept up to date as the URL changes.
export function writePrintLinks() {
  for (const link of document.querySelectorAll("[data-print-link]")) {
    link.textContent = `These results: ${location.href}`;
  }
}

export function preparePrint() {
  window.addEventListener("beforeprint", () => {
    writePrintLinks();
    for (const details of document.querySelectorAll(".calc details:not([open])")) {
      details.open = true;
      opened.push(details);
    }
  });
  window.addEventListener("afterprint", () => {
    for (const details of opened.splice(0)) details.open = false;
  });
}
