// Signpost widget loader for a GP practice's website:
//   <script src="https://SIGNPOST/static/js/widget.js" data-widget="PRACTICE-SLUG" async></script>
// Inserts the practice's widget in an iframe just after this script, and resizes the
// frame to fit its page, trusting only height messages from that frame.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.getAttribute("data-widget")) return;
  var signpostOrigin = new URL(script.src).origin;
  var slug = script.getAttribute("data-widget");

  var frame = document.createElement("iframe");
  frame.src = signpostOrigin + "/widget/" + encodeURIComponent(slug);
  frame.title = script.getAttribute("data-title") || "Find local support (Signpost)";
  frame.className = "signpost-widget";
  frame.style.display = "block";
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.height = "560px";
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || event.origin !== signpostOrigin) return;
    var data = event.data;
    if (!data || data.type !== "signpost-widget:height") return;
    var height = Number(data.height);
    if (!isFinite(height) || height <= 0) return;
    frame.style.height = Math.min(Math.max(Math.round(height), 120), 20000) + "px";
    // A new page in the frame (results, a service): bring its top into view.
    if (data.pageLoaded && frame.getBoundingClientRect().top < 0) frame.scrollIntoView();
  });
})();
