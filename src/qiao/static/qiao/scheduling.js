/* Agenda grid: drag a meeting card onto a free table, the online column, another meeting
   (the two swap places) or the unplaced list.
   Each drop is an HTMX POST that answers with the re-rendered grid (#plan). */
(function () {
  "use strict";
  let dragged = null;

  function grid() { return document.getElementById("plan"); }

  function post(url, values) {
    const plan = grid();
    values.day = plan.dataset.day || "";
    window.htmx.ajax("POST", url, {
      target: "#plan", swap: "outerHTML", values: values,
      headers: { "X-CSRFToken": plan.dataset.csrf },
    });
  }

  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".sched-card[data-meeting]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.meeting);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    document.querySelectorAll(".is-over").forEach(function (el) { el.classList.remove("is-over"); });
  });

  function dropTarget(event) {
    return event.target.closest &&
      event.target.closest("[data-drop-slot], [data-drop-unplace], [data-drop-swap]");
  }

  document.addEventListener("dragover", function (event) {
    const target = dropTarget(event);
    if (!target || !dragged) return;
    event.preventDefault();
    target.classList.add("is-over");
  });

  document.addEventListener("dragleave", function (event) {
    const target = dropTarget(event);
    if (target && !target.contains(event.relatedTarget)) target.classList.remove("is-over");
  });

  document.addEventListener("drop", function (event) {
    const target = dropTarget(event);
    if (!target || !dragged) return;
    event.preventDefault();
    target.classList.remove("is-over");
    const card = dragged;
    if (target.dataset.dropSwap) {
      if (target.dataset.dropSwap === card.dataset.meeting || !card.closest(".sched-grid")) return;
      post(card.dataset.swapUrl, { other: target.dataset.dropSwap });
    } else if (target.dataset.dropUnplace) {
      if (card.closest(".sched-unplaced")) return;
      post(card.dataset.unplaceUrl, {});
    } else {
      post(card.dataset.moveUrl, { slot: target.dataset.dropSlot, table: target.dataset.dropTable, lock: "1" });
    }
  });
})();
