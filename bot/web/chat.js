// The web chat: shows the conversation the server keeps and sends what the person writes or
// chooses. The conversation id is in an HttpOnly cookie set by the server: this script never
// sees it, and never names a conversation.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const ui = JSON.parse($("ui").textContent);
  const base = document.body.dataset.base;
  const log = $("log"), form = $("send"), input = $("text"), typing = $("typing"), problem = $("problem");
  let busy = false;
  let onPage = 0;  // messages on the page, counted as the server's history counts them
  let polling = null;
  const POLL_MS = 5000;

  function add(who, text) {
    const item = document.createElement("p");
    const speaker = document.createElement("span");
    item.className = "msg " + who;
    item.dir = "auto";
    speaker.className = "sr";
    speaker.textContent = (who === "bot" ? ui.assistant : ui.you) + " ";
    item.append(speaker, text);
    log.append(item);
    item.scrollIntoView({block: "end"});
    return item;
  }

  function addChoices(buttons) {
    const group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", ui.choices);
    for (const choice of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.dir = "auto";
      button.disabled = true;
      button.textContent = choice.title;
      button.addEventListener("click", () => send({payload: choice.payload}, choice.title, true));
      group.append(button);
    }
    log.append(group);
    group.scrollIntoView({block: "end"});
    return group;
  }

  // Only the latest menu can be answered, as on the server: older choices are greyed out.
  function open(group) {
    for (const button of log.querySelectorAll(".choices button")) button.disabled = true;
    if (group) for (const button of group.children) button.disabled = false;
  }

  function show(messages) {
    let menu = null;
    onPage += messages.length;
    for (const message of messages) {
      if (message.from === "user") {
        add("user", message.text);
        menu = null;
        continue;
      }
      if (message.text) add("bot", message.text);
      if (message.buttons && message.buttons.length) menu = addChoices(message.buttons);
    }
    open(menu);
    return menu;
  }

  function tell(text) {
    problem.textContent = text || "";
    problem.hidden = !text;
  }

  async function send(body, shown, byButton) {
    if (busy) return;
    busy = true;
    tell("");
    const wasOpen = [...log.querySelectorAll(".choices button:not(:disabled)")];
    open(null);
    const mine = shown ? add("user", shown) : null;
    typing.hidden = false;
    let menu = null;
    try {
      const reply = await fetch(base + "message", {
        method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
      });
      const data = await reply.json().catch(() => ({}));
      if (!reply.ok) throw new Error(data.text || (reply.status === 403 ? ui.expired : ui.offline));
      if (data.restart) {
        // "This is not me" (a new conversation), or the earlier one shown again once proved.
        location.replace(base + "?lang=" + encodeURIComponent(document.documentElement.lang));
        return;
      }
      if (data.language && data.language !== document.documentElement.lang) {
        // The person chose another language: the page comes back in it, with the conversation.
        location.replace(base + "?lang=" + encodeURIComponent(data.language));
        return;
      }
      if (mine && !data.locked) onPage += 1;
      menu = show(data.messages);
      // A locked conversation's answers are not in the server's history: not counted either.
      if (data.locked) onPage -= data.messages.length;
      waitForStaff(data.paused);
    } catch (error) {
      if (mine) mine.remove();
      for (const button of wasOpen) button.disabled = false;
      if (body.text) input.value = body.text;
      tell(error instanceof TypeError ? ui.offline : error.message);
    } finally {
      typing.hidden = true;
      busy = false;
    }
    // Keyboard users go on from where the next answer is: the new choices, or the text box.
    if (byButton && menu) menu.firstChild.focus();
    else if (byButton || document.activeElement === document.body) input.focus();
  }

  // While a social worker has the conversation, or a handoff is open (whatever its age, also
  // the next day), their answers arrive in the server's history, asked for every few seconds.
  function waitForStaff(paused) {
    if (paused && !polling) polling = setInterval(poll, POLL_MS);
    if (!paused && polling) { clearInterval(polling); polling = null; }
  }

  async function poll() {
    if (busy) return;
    try {
      const reply = await fetch(base + "history");
      if (!reply.ok || busy) return;
      const data = await reply.json();
      if (data.messages.length > onPage) show(data.messages.slice(onPage));
      waitForStaff(data.paused);
    } catch (error) { /* offline for a moment: the next poll tries again */ }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    send({text}, text, false);
  });

  (async () => {
    try {
      const reply = await fetch(base + "history");
      if (!reply.ok) throw new Error(reply.status === 403 ? ui.expired : ui.offline);
      const data = await reply.json(), past = data.messages;
      waitForStaff(data.paused);
      if (past.length) show(past);
      else send({start: true, lang: document.documentElement.lang, src: document.body.dataset.src}, null, false);
    } catch (error) {
      tell(error instanceof TypeError ? ui.offline : error.message);
    }
  })();
})();
