// The inbox refreshes itself without reloading the page: every few seconds it asks the console
// for its rows (same filters) and shows the count of new messages. Plain JavaScript, no library.
(function () {
  var live = document.getElementById("live");
  var rows = document.getElementById("inbox-rows");
  if (!live || !rows) return;
  var seconds = parseInt(live.getAttribute("data-poll"), 10) || 10;
  var title = document.title;
  function plural(n) { return n + (n === 1 ? " nouveau message" : " nouveaux messages"); }
  function refresh() {
    fetch("/inbox/rows" + window.location.search, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (reply) {
        if (reply.redirected || !reply.ok) throw new Error("signed out");
        return reply.json();
      })
      .then(function (data) {
        rows.innerHTML = data.html;  // rendered and escaped by the server
        document.getElementById("new-messages").textContent = plural(data.new_messages);
        document.title = (data.new_messages ? "(" + data.new_messages + ") " : "") + (data.urgent ? "URGENT " : "") + title;
        live.setAttribute("data-new", data.new_messages);
      })
      .catch(function () { /* next time */ })
      .then(function () { window.setTimeout(refresh, seconds * 1000); });
  }
  window.setTimeout(refresh, seconds * 1000);
})();
