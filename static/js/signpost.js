// Send the CSRF token with every htmx request that changes something.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && event.detail.verb !== "get") {
    event.detail.headers["X-CSRFToken"] = meta.content;
  }
  // Searches are GETs whose URL is pushed into history: leave out empty fields so the
  // address a link worker bookmarks or shares is short and readable.
  if (event.detail.verb === "get" && event.detail.parameters) {
    var params = event.detail.parameters;
    Array.from(params.keys ? params.keys() : Object.keys(params)).forEach(function (key) {
      var value = params.get ? params.get(key) : params[key];
      if (value === "" || value === null) {
        if (params.delete) params.delete(key); else delete params[key];
      }
    });
  }
});

// htmx leaves the page as it was on an error status. A search that did not run answers
// with its results block all the same, saying why (a problem with the search 400, too many
// searches 429, search unavailable 503): show it, as the page without JavaScript does.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  var status = event.detail.xhr.status;
  if (target && target.id === "results" && [400, 429, 503].indexOf(status) !== -1) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
  // "Show more services" appends list items; a next page that did not run has none, so
  // its message takes the place of the whole results block instead.
  var results = document.getElementById("results");
  if (target && target.id === "result-list" && results && [429, 503].indexOf(status) !== -1) {
    event.detail.target = results;
    event.detail.swapOverride = "outerHTML";
    event.detail.selectOverride = "#results";
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// After results are swapped in, move focus to their heading so screen-reader and
// keyboard users land on the new content, unless they are still typing in the box.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  if (!target || target.id !== "results") return;
  var active = document.activeElement;
  if (active && active.form && active.form.id === "search-form") return;
  var heading = target.querySelector("[data-results-heading]");
  if (heading) heading.focus();
});

// "Print this page" buttons (no inline handlers: the Content-Security-Policy forbids them).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});

// "Copy" buttons: copy the text of the element named by data-copy (the widget snippets).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) return;
  navigator.clipboard.writeText(source.textContent).then(function () {
    button.textContent = "Copied";
  });
});
