// A form whose work takes a while (a report made while the officer waits) says so once sent, and is not sent twice.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-busy]")) {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button[type=submit], button:not([type])");
      if (!button) return;
      // Disabled after this turn, so that the button's own value (if any) is still sent.
      setTimeout(() => {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        button.textContent = form.dataset.busy;
      }, 0);
    });
  }
});
