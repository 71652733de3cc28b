// The review form: active writing time, and "Link in my answer" for evidence items.
// Autosave itself is htmx (hx-post on the form); this only adds what htmx cannot do.
(() => {
  const form = document.querySelector("[data-review-form]");
  if (!form) return;
  const activeField = form.querySelector("[data-active-seconds]");

  // Active time, not wall time: a second counts only while the page is visible and the
  // writer typed, clicked or moved focus in the last minute. An idle tab adds nothing.
  const IDLE_AFTER_MS = 60 * 1000;
  let lastActivity = 0;
  let active = 0;
  let sending = 0;
  const touch = () => { lastActivity = Date.now(); };
  ["input", "keydown", "pointerdown", "focusin"].forEach((name) => form.addEventListener(name, touch));
  setInterval(() => {
    if (document.visibilityState === "visible" && Date.now() - lastActivity < IDLE_AFTER_MS) {
      active += 1;
      if (activeField) activeField.value = String(active);
    }
  }, 1000);

  form.addEventListener("htmx:configRequest", (event) => {
    sending = active;
    event.detail.parameters.active_seconds = String(sending);
  });
  form.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) {
      active = Math.max(0, active - sending);
      if (activeField) activeField.value = String(active);
    }
    sending = 0;
  });

  // Remember the last answer box the writer was in, to insert evidence links there.
  let target = null;
  form.addEventListener("focusin", (event) => {
    if (event.target.matches("textarea[data-evidence-target]")) target = event.target;
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-insert-ref]");
    if (!button) return;
    const box = target || form.querySelector("textarea[data-evidence-target]");
    if (!box) return;
    const ref = button.getAttribute("data-insert-ref");
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? box.value.length;
    const before = box.value.slice(0, start);
    const spacer = before && !/\s$/.test(before) ? " " : "";
    box.value = before + spacer + ref + box.value.slice(end);
    const caret = start + spacer.length + ref.length;
    box.focus();
    box.setSelectionRange(caret, caret);
    // Let htmx autosave see the change, as if it had been typed.
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
