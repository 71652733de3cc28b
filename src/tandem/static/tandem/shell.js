// The app shell: the phone menu (a drawer), folding the sidebar on wide screens, and closing
// the account menu. No inline scripts anywhere (Content-Security-Policy).
(() => {
  const body = document.body;
  const sidebar = document.getElementById("sidebar");
  const menuButton = document.querySelector("[data-menu-toggle]");
  const scrim = document.querySelector("[data-menu-close]");
  if (!sidebar || !menuButton) return;

  const setMenu = (open, { focus = true } = {}) => {
    body.classList.toggle("menu-open", open);
    menuButton.setAttribute("aria-expanded", String(open));
    if (scrim) scrim.hidden = !open;
    if (!focus) return;
    if (open) {
      const first = sidebar.querySelector("a[aria-current]") || sidebar.querySelector("a");
      if (first) first.focus();
    } else {
      menuButton.focus();
    }
  };
  menuButton.addEventListener("click", () => setMenu(!body.classList.contains("menu-open")));
  if (scrim) scrim.addEventListener("click", () => setMenu(false));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (body.classList.contains("menu-open")) setMenu(false);
    document.querySelectorAll("details[data-dismissable][open]").forEach((details) => {
      details.open = false;
      details.querySelector("summary").focus();
    });
  });
  // Back on a wide screen, a drawer left open is no longer a drawer.
  window.matchMedia("(min-width: 768px)").addEventListener("change", (event) => {
    if (event.matches) setMenu(false, { focus: false });
  });

  const fold = document.querySelector("[data-nav-fold]");
  if (fold) {
    fold.addEventListener("click", () => {
      const folded = document.documentElement.classList.toggle("nav-folded");
      fold.setAttribute("aria-pressed", String(folded));
      // A year; the server reads it so the next page opens folded, without a jump.
      document.cookie = `tandem_nav=${folded ? "folded" : "open"}; path=/; max-age=31536000; SameSite=Lax`;
    });
  }

  document.addEventListener("click", (event) => {
    document.querySelectorAll("details[data-dismissable][open]").forEach((details) => {
      if (!details.contains(event.target)) details.open = false;
    });
  });
})();
