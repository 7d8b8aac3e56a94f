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

  var RETRY_MS = 2000;
  var PENDING_AT_MOST = 200;

  // The stream's address at each (re)connection: after the newest item the page has,
  // and naming the rows the page still shows as not yet signed (the first 200: the
  // newest, as the access log lists them newest first), so the stream proves them too.
  function address(container, lastId) {
    var url = new URL(container.getAttribute("data-live"), window.location.href);
    if (lastId) { url.searchParams.set("after", lastId); }
    var pending = Array.prototype.slice.call(container.querySelectorAll("[data-pending]"), 0, PENDING_AT_MOST)
      .map(function (cell) { return cell.getAttribute("data-pending"); });
    if (pending.length) { url.searchParams.set("pending", pending.join(",")); }
    return url.pathname + url.search;
  }

  function follow(container) {
    var status = document.querySelector("[data-live-status]");
    var newestFirst = container.tagName === "TBODY";
    var lastId = "";

    function connect() {
      var source = new EventSource(address(container, lastId));
      source.addEventListener("open", function () {
        if (status) { status.hidden = false; }
        container.setAttribute("data-live-state", "open");
      });
      source.addEventListener("item", function (event) {
        if (event.lastEventId) { lastId = event.lastEventId; }
        var template = document.createElement(newestFirst ? "tbody" : "ol");
        template.innerHTML = event.data;
        var item = template.firstElementChild;
        if (!item || (item.id && document.getElementById(item.id))) { return; }
        // An item may name another list of the page as its place (an inquiry's internal
        // notes come on the stream of its messages).
        var list = (item.hasAttribute("data-list") && document.getElementById(item.getAttribute("data-list"))) || container;
        var empty = list.querySelector(".empty");
        if (empty) { empty.remove(); }
        item.classList.add("fresh");
        if (newestFirst) { list.insertBefore(item, list.firstChild); }
        else { list.appendChild(item); }
        announce(list.getAttribute("data-announce") + ": " + item.textContent.replace(/\s+/g, " ").trim());
      });
      // The parts of the page a step changed (an inquiry's status, who handles it, its
      // forms; an access's proof once the log is signed): each replaces the part with its
      // id when its data-key differs, so what the citizen is typing stays unless the form
      // itself has to change.
      source.addEventListener("state", function (event) {
        var holder = document.createElement("div");
        holder.innerHTML = event.data;
        Array.prototype.slice.call(holder.children).forEach(function (part) {
          var shown = part.id && document.getElementById(part.id);
          if (!shown || shown.getAttribute("data-key") === part.getAttribute("data-key")) { return; }
          shown.replaceWith(part);
          if (part.hasAttribute("data-announce")) { announce(part.getAttribute("data-announce")); }
        });
      });
      // An organisation has read further: its name moves to the message it has read up to
      // (under "Read by"), or out of sight when that message is its own; a line left
      // without names hides. Not announced: no news worth interrupting a screen reader for.
      source.addEventListener("seen", function (event) {
        var holder = document.createElement("div");
        holder.innerHTML = event.data;
        Array.prototype.slice.call(holder.children).forEach(function (reader) {
          var message = document.getElementById("message-" + reader.getAttribute("data-sequence"));
          var target = message && message.querySelector(".readers");
          var shown = reader.id && document.getElementById(reader.id);
          if (!target || (shown && shown.parentNode === target)) { return; }
          if (shown) {
            var left = shown.parentNode;
            shown.remove();
            if (!left.children.length) { left.parentNode.hidden = true; }
          }
          if (message.getAttribute("data-author") === reader.getAttribute("data-org")) { return; }
          target.appendChild(reader);
          target.parentNode.hidden = false;
        });
      });
      ["ended", "signed-out"].forEach(function (name) {
        source.addEventListener(name, function () {
          source.close();
          // Nothing new comes any more (say, a right to act for someone ended).
          if (status) { status.hidden = true; }
          container.setAttribute("data-live-state", "ended");
          if (name === "signed-out") { window.location.reload(); }
        });
      });
      // A dropped stream: not the browser's own retry (the same address, naming only the
      // rows pending when the page was rendered) but a new one naming what is pending now.
      // A refused stream (closed, say a 404) stays closed, as the browser would leave it.
      source.addEventListener("error", function () {
        if (source.readyState === EventSource.CLOSED) { return; }
        source.close();
        container.setAttribute("data-live-state", "reconnecting");
        window.setTimeout(connect, RETRY_MS);
      });
    }

    connect();
  }

  document.querySelectorAll("[data-live]").forEach(follow);

  // An error summary takes the focus, so keyboard and screen-reader users land on it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
