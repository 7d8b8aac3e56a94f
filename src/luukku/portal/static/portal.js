// Progressive enhancement: live updates over server-sent events. Without this
// script every page still works; reloading shows what is new.
(function () {
  "use strict";
  var announcer = document.getElementById("announcer");

  function announce(text) {
    if (!announcer) { return; }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function follow(container) {
    var status = document.querySelector("[data-live-status]");
    var source = new EventSource(container.getAttribute("data-live"));
    var newestFirst = container.tagName === "TBODY";
    source.addEventListener("open", function () {
      if (status) { status.hidden = false; }
      container.setAttribute("data-live-state", "open");
    });
    source.addEventListener("item", function (event) {
      var template = document.createElement(newestFirst ? "tbody" : "ol");
      template.innerHTML = event.data;
      var item = template.firstElementChild;
      if (!item || (item.id && document.getElementById(item.id))) { return; }
      var empty = container.querySelector(".empty");
      if (empty) { empty.remove(); }
      item.classList.add("fresh");
      if (newestFirst) { container.insertBefore(item, container.firstChild); }
      else { container.appendChild(item); }
      announce(container.getAttribute("data-announce") + ": " + item.textContent.replace(/\s+/g, " ").trim());
    });
    ["ended", "signed-out"].forEach(function (name) {
      source.addEventListener(name, function () {
        source.close();
        if (name === "signed-out") { window.location.reload(); }
      });
    });
  }

  document.querySelectorAll("[data-live]").forEach(follow);

  // An error summary takes the focus, so keyboard and screen-reader users land on it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
