// Progressive enhancement only: every control works without this file.
// Move keyboard focus to messages and swapped rows so screen-reader users hear the change.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (target && target.matches("[data-focus-after-swap]")) {
    const button = target.querySelector("[aria-pressed='true']") || target.querySelector("button");
    if (button) button.focus();
  }
});
