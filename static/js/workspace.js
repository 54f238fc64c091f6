// Link-worker pages: print and copy buttons (no inline handlers: the CSP forbids them).
document.addEventListener("click", (event) => {
  const print = event.target.closest("[data-print]");
  if (print) {
    window.print();
    return;
  }
  const copy = event.target.closest("[data-copy-target]");
  if (copy && navigator.clipboard) {
    const source = document.getElementById(copy.dataset.copyTarget);
    navigator.clipboard.writeText(source.value).then(() => {
      copy.textContent = "Copied";
    });
  }
});
