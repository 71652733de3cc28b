// Tandem's only script besides htmx. No inline scripts anywhere (Content-Security-Policy).
// Org chart toggles: a button with aria-controls flips aria-expanded; htmx fetches children once.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-toggle-children]");
  if (!button) return;
  const expanded = button.getAttribute("aria-expanded") === "true";
  const target = document.getElementById(button.getAttribute("aria-controls"));
  if (expanded) {
    button.setAttribute("aria-expanded", "false");
    if (target) target.hidden = true;
  } else if (target && target.dataset.loaded === "true") {
    button.setAttribute("aria-expanded", "true");
    target.hidden = false;
  }
});

document.body && document.body.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (target && target.dataset && target.hasAttribute("data-children")) {
    target.dataset.loaded = "true";
    target.hidden = false;
    const button = document.querySelector(`[aria-controls="${target.id}"]`);
    if (button) button.setAttribute("aria-expanded", "true");
  }
});
