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

// The topic state control as a toolbar: one Tab stop per topic (the pressed state), the
// arrow keys (and Home, End) move between its buttons, Enter or Space presses one.
// Without this script every button is its own Tab stop, and all of them still work.
function segmentedInit(root) {
  root.querySelectorAll("[data-segmented]").forEach((group) => {
    if (group.dataset.segmentedReady) return;
    group.dataset.segmentedReady = "1";
    group.setAttribute("role", "toolbar");
    const buttons = [...group.querySelectorAll("button")];
    const current = buttons.find((b) => b.getAttribute("aria-pressed") === "true") || buttons[0];
    buttons.forEach((b) => b.setAttribute("tabindex", b === current ? "0" : "-1"));
    group.addEventListener("keydown", (event) => {
      const index = buttons.indexOf(document.activeElement);
      if (index < 0) return;
      const moves = {
        ArrowRight: index + 1,
        ArrowDown: index + 1,
        ArrowLeft: index - 1,
        ArrowUp: index - 1,
        Home: 0,
        End: buttons.length - 1,
      };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = buttons[(moves[event.key] + buttons.length) % buttons.length];
      buttons.forEach((b) => b.setAttribute("tabindex", b === next ? "0" : "-1"));
      next.focus();
    });
  });
}
document.addEventListener("DOMContentLoaded", () => segmentedInit(document));
document.addEventListener("htmx:load", (event) => segmentedInit(event.detail.elt));

// "Copy link" beside a link (hidden without this script, the link itself stays).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const link = document.getElementById(button.dataset.copy);
    const status = document.querySelector(`[data-copy-status="${button.dataset.copy}"]`);
    if (!link || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(link.href);
        if (status) status.textContent = "Copied.";
      } catch {
        if (status) status.textContent = "Could not copy; select the link instead.";
      }
    });
  });
});

// Choosing a topic on a map opens its state buttons beside the map (htmx): the focus
// follows, so a keyboard user lands on them. Without this script the topic's link opens
// its page, and "Change" in the steps opens the same buttons with a page load.
document.addEventListener("htmx:afterSettle", (event) => {
  const trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!trigger || !trigger.classList || !trigger.classList.contains("map-node")) return;
  const panel = document.getElementById("map-panel");
  if (!panel) return;
  panel.setAttribute("tabindex", "-1");
  panel.focus({ preventScroll: false });
});
