// Render a JSON list of {tex, display} from stdin to a JSON list of HTML strings.
// Used by page_transforms/page_text.py so pages show math without running any script.
//
// The site's search indexes a formula by a plain copy of it, not by KaTeX's output,
// which holds the formula's text twice (MathML and the visible copy: 2^{100} read as
// "21002100" in a search result) and its TeX source. The output is wrapped in
// <calc-math data-search-exclude> (a tag of its own: the theme's indexer ends an
// exclusion at the first closing tag of the same name), followed by a hidden <span>
// with the plain copy (searchText); a formula with no plain copy is left out.
import { pathToFileURL } from "node:url";
import katex from "katex";

const SUPERSCRIPT = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹", "-": "⁻", "*": "*", k: "ᵏ", n: "ⁿ", i: "ⁱ" };
const WORDS = { "\\beta": "β", "\\sigma": "σ", "\\tau": "τ", "\\pi": "π", "\\Delta": "Δ", "\\ln": "ln", "\\log": "log", "\\cdot": "·", "\\,": " " };

// The formula as plain text (2^{100} -> 2¹⁰⁰, \beta\,\Delta R -> β ΔR), or "" when it
// uses a command with no plain form (fractions, sums, roots...).
export function searchText(tex) {
  let unknown = false;
  let text = tex.replace(/\\[a-zA-Z]+|\\,/g, (command) => {
    if (command in WORDS) return WORDS[command];
    unknown = true;
    return "";
  });
  text = text.replace(/\^\{([^{}]*)\}|\^(.)/g, (_, group, one) => {
    const raised = [...(group ?? one)].map((ch) => SUPERSCRIPT[ch]);
    return raised.every(Boolean) ? raised.join("") : `^${group ?? one}`;
  });
  return unknown || /[{}\\<>&"]/.test(text) ? "" : text.replace(/\s+/g, " ").trim();
}

function render({ tex, display }) {
  const math = katex.renderToString(tex, { displayMode: display, throwOnError: true, output: "htmlAndMathml" });
  const plain = searchText(tex);
  return `<calc-math data-search-exclude>${math}</calc-math>` + (plain ? `<span class="calc-math-search" hidden>${plain}</span>` : "");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  process.stdout.write(JSON.stringify(JSON.parse(input).map(render)));
}
