// Powers typeset as a reader expects: "2^-100" shows as 2 with a raised −100, is heard
// as "2 to the power minus 100", and copies as "2^-100" (the form a field accepts).
// The same rule as calculators/fmt.py's powers_html, which renders the static page.
const POWER = /(\d+(?:\.\d+)?)\^(-?\((?:[^()]|\([^()]*\))*\)|-?[\d.,]+)/g;

const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;")
  .replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function spoken(text) {
  // Inside out, until no power is left that reads as one (a "^" after a bracket stays).
  for (let said = text.replace(POWER, "$1 to the power $2"); said !== text;) {
    text = said;
    said = text.replace(POWER, "$1 to the power $2");
  }
  return text.replace(/[-−]/g, "minus ").replace(/×/g, "times").replace(/[()]/g, "")
    .replace(/≈/g, "about");
}

function typeset(text) {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(POWER)) {
    out += escape(text.slice(last, m.index));
    const exp = m[2];
    let inner;
    if (exp.replace(/^-/, "").startsWith("(")) {
      const sign = exp.startsWith("-") ? "−" : "";
      inner = `${sign}(${typeset(exp.replace(/^-/, "").slice(1, -1))})`;
    } else {
      inner = escape(exp).replace(/-/g, "−");
    }
    out += `${escape(m[1])}<sup>${inner}</sup>`;
    last = m.index + m[0].length;
  }
  return out + escape(text.slice(last));
}

// Escaped HTML of a display text, each power one element with a spoken label.
export function powersHtml(text) {
  let out = "";
  let last = 0;
  for (const m of String(text).matchAll(POWER)) {
    out += escape(text.slice(last, m.index));
    out += `<span class="pow" role="img" aria-label="${escape(spoken(m[0]))}" ` +
      `data-text="${escape(m[0])}">${typeset(m[0])}</span>`;
    last = m.index + m[0].length;
  }
  return out + escape(String(text).slice(last));
}

// Show a display text in an element, powers typeset; data-text keeps it as typed (the
// form tests, embeds and the clipboard read). Unchanged text is left alone.
export function showText(element, text) {
  if (element.dataset.text === text) return;
  element.innerHTML = powersHtml(text);
  element.dataset.text = text;
}

// Copying a selection that holds typeset powers puts their typed form on the
// clipboard: "1 − 2^-100", not "1 − 2−100".
export function copyPowersAsTyped() {
  document.addEventListener("copy", (event) => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !event.clipboardData) return;
    const holder = document.createElement("div");
    for (let i = 0; i < selection.rangeCount; i += 1) {
      holder.append(selection.getRangeAt(i).cloneContents());
    }
    const powers = holder.querySelectorAll(".pow[data-text]");
    if (!powers.length) return;
    for (const pow of powers) pow.replaceWith(pow.dataset.text);
    event.clipboardData.setData("text/plain", holder.textContent);
    event.preventDefault();
  });
}
