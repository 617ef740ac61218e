// A calculator's inputs in the page's URL, so any view can be shared: only the values
// that differ from the defaults, named as in the Python spec, plus the link format.
export const LINK_FORMAT = "1";  // the `v` query parameter of shared links

export const atDefaults = (fields) => fields.every((input) => input.value === input.dataset.default);

// Set each field from the query string, or to its default where the query has none.
export function readQuery(fields, search = location.search) {
  const params = new URLSearchParams(search);
  for (const input of fields) {
    const value = params.get(input.name);
    input.value = value === null ? input.dataset.default : value;
  }
}

// Write the fields into the URL: a new history entry (push) or in place of this one.
// Parameters of other calculators on the page are kept.
export function writeQuery(fields, push) {
  const params = new URLSearchParams(location.search);
  for (const input of fields) {
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
