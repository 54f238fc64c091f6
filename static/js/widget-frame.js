// Inside the widget's iframe: tell the practice's page how tall this page is, so the
// frame can fit it with no inner scrollbar. Only a number leaves the frame; widget.js on
// the practice's page checks the message came from this frame before using it.
(function () {
  "use strict";
  if (window.parent === window) return;
  var lastHeight = 0;
  var loaded = false;

  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === lastHeight && loaded) return;
    lastHeight = height;
    // The height is not secret, and the frame cannot know the embedding origin for sure.
    window.parent.postMessage(
      { type: "signpost-widget:height", height: height, pageLoaded: !loaded },
      "*"
    );
    loaded = true;
  }

  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  report();
})();
