// Progressive enhancement only: every control works without this file.
// Keep keyboard focus through htmx swaps. htmx itself puts the focus back on the
// element with the same id (each state button and the note's save button have one);
// when that element is gone, for example a topic marked done leaves "Next up", the
// focus would fall back to the top of the page, so move it to the swapped region.
document.addEventListener("htmx:afterSettle", (event) => {
  const active = document.activeElement;
  if (active && active !== document.body) return;
  const id = event.detail.target && event.detail.target.id;
  const region = id && document.getElementById(id);
  if (!region) return;
  if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
  region.focus({ preventScroll: true });
});
