// Render a JSON list of {tex, display} from stdin to a JSON list of HTML strings.
// Used by hooks/page_text.py so pages show math without running any script. The site's
// search skips the TeX source kept in the MathML (data-search-exclude).
import katex from "katex";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = JSON.parse(input).map(({ tex, display }) =>
  katex.renderToString(tex, { displayMode: display, throwOnError: true, output: "htmlAndMathml" })
    .replace('<annotation encoding="application/x-tex">', '<annotation encoding="application/x-tex" data-search-exclude>'),
);
process.stdout.write(JSON.stringify(out));
