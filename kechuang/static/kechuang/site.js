// Progressive enhancement only: every page works without this file.

/* == security: session expiry warning == */
// For signed-in users <body data-session-expires-in="seconds"> and the hidden #session-notice (server-rendered,
// translated) are on every page. Two minutes before the server ends an idle session, show the warning with a
// button that keeps the session alive; at expiry, show that it has expired with the link to log in again.
(function () {
  "use strict";
  var seconds = parseInt(document.body.getAttribute("data-session-expires-in"), 10);
  var notice = document.getElementById("session-notice");
  if (!seconds || seconds <= 0 || !notice) {
    return;
  }
  var WARN_BEFORE = 120;
  var warning = notice.querySelector(".session-warning");
  var expired = notice.querySelector(".session-expired");
  var timers = [];

  function schedule(age) {
    timers.forEach(clearTimeout);
    timers = [
      setTimeout(function () {
        warning.hidden = false;
        expired.hidden = true;
        notice.hidden = false;
      }, Math.max(age - WARN_BEFORE, 0) * 1000),
      setTimeout(function () {
        warning.hidden = true;
        expired.hidden = false;
        notice.hidden = false;
      }, age * 1000),
    ];
  }

  notice.querySelector(".session-continue").addEventListener("click", function () {
    // A request extends the session on the server (SessionRefreshMiddleware: the last refresh is long past).
    fetch(notice.getAttribute("data-session-refresh-url"), { method: "HEAD", credentials: "same-origin" }).then(
      function (response) {
        if (response.ok) {
          notice.hidden = true;
          schedule(seconds);
        }
      }
    );
  });

  schedule(seconds);
})();

/* == review: 流转记录 (and other short pages) in a dialog == */
// A link <a href="…" hx-get="…" hx-target="#page-dialog" data-dialog-link> opens its page without JavaScript.
// With htmx, the fragment (the server answers HX-Request with just it, with its own heading and a
// <form method="dialog"> 关闭 button) is swapped into the page's one native <dialog>, shown here; focus returns
// to the link on close. A failed fetch falls back to the plain page.
(function () {
  "use strict";
  var dialog = document.getElementById("page-dialog");
  if (!dialog || typeof HTMLDialogElement !== "function" || !window.htmx) {
    return;
  }
  var opener = null;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.target === dialog) {
      opener = event.detail.elt;
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== dialog) {
      return;
    }
    var heading = dialog.querySelector("h1[id], h2[id]");
    if (heading) {
      dialog.setAttribute("aria-labelledby", heading.id);
    }
    if (!dialog.open) {
      dialog.showModal();
    }
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    if (event.detail.target === dialog && event.detail.elt.href) {
      window.location.href = event.detail.elt.href;
    }
  });
  dialog.addEventListener("close", function () {
    dialog.replaceChildren();
    if (opener) {
      opener.focus();
    }
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) {
      dialog.close(); // a click on the backdrop
    }
  });
})();

/* == filings: unsaved-changes warning, character counts, upload progress == */
// 1. Forms marked data-warn-unsaved become "dirty" on input; leaving the page through any other link or
//    button while one is dirty asks first (F2: switching tabs never loses input silently).
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-warn-unsaved]"));
  if (!forms.length) {
    return;
  }
  var dirty = [];
  forms.forEach(function (form) {
    function mark() {
      if (dirty.indexOf(form) < 0) {
        dirty.push(form);
      }
    }
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
  });
  document.addEventListener(
    "click",
    function (event) {
      if (!dirty.length || !event.target.closest) {
        return;
      }
      var control = event.target.closest("a[href], button[type='submit'], button:not([type])");
      if (!control || control.hasAttribute("data-no-warn")) {
        return;
      }
      if (control.tagName === "A") {
        var href = control.getAttribute("href");
        if (href.charAt(0) === "#" || control.target === "_blank" || control.hasAttribute("download")) {
          return;
        }
      } else if (control.form && dirty.length === 1 && dirty[0] === control.form) {
        return; // saving the form that holds the changes
      }
      if (!window.confirm(dirty[0].getAttribute("data-warn-unsaved"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      } else {
        dirty = [];
      }
    },
    true
  );
})();

// 2. "已输入 N / 3000 字" under each 内容说明 textarea, kept up to date while typing.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-count-for]"), function (counter) {
    var area = document.getElementById(counter.getAttribute("data-count-for"));
    var number = counter.querySelector(".char-count-n");
    if (!area || !number) {
      return;
    }
    function update() {
      number.textContent = String(area.value.length);
    }
    area.addEventListener("input", update);
    update();
  });
})();

// 3. 添加附件 with a progress bar: the form is sent by XMLHttpRequest (the server answers JSON), the size
//    limit is checked before sending. Without JavaScript the plain form post works the same.
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest) {
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-upload]"), function (form) {
    var progress = form.querySelector("progress");
    var errors = form.querySelector(".upload-errors");
    var input = form.querySelector("input[type='file']");
    var button = form.querySelector("button[type='submit']");

    function showError(text) {
      var list = document.createElement("ul");
      var item = document.createElement("li");
      list.className = "errorlist";
      item.textContent = text;
      list.appendChild(item);
      errors.replaceChildren(list);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", errors.id);
      progress.hidden = true;
      button.disabled = false;
    }

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (!file) {
        return; // the browser's "required" message, or the server's
      }
      event.preventDefault();
      if (file.size > parseInt(form.getAttribute("data-max-bytes"), 10)) {
        showError(form.getAttribute("data-too-big"));
        return;
      }
      errors.replaceChildren();
      progress.value = 0;
      progress.hidden = false;
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.responseType = "json";
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          progress.value = Math.round((e.loaded / e.total) * 100);
        }
      });
      xhr.addEventListener("load", function () {
        var data = xhr.response || {};
        if (xhr.status === 200 && data.location) {
          var target = new URL(data.location, window.location.href);
          if (target.pathname === window.location.pathname && target.search === window.location.search) {
            window.location.hash = target.hash; // same page: a hash change alone would not reload it
            window.location.reload();
          } else {
            window.location.assign(target.href);
          }
        } else {
          showError((data.errors && data.errors[0]) || form.getAttribute("data-failed"));
        }
      });
      xhr.addEventListener("error", function () {
        showError(form.getAttribute("data-failed"));
      });
      xhr.send(new FormData(form));
    });
  });
})();

/* == countries: type to filter a long select (国别（地区）) == */
// <select data-filter="label text"> gets a search box above it; typing hides the options whose name or code
// does not contain the text (the chosen option stays). Enter picks the first match. Without JavaScript the
// plain select works as it is.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("select[data-filter]"), function (select, index) {
    var box = document.createElement("input");
    var label = document.createElement("label");
    var wrap = document.createElement("div");
    box.type = "search";
    box.id = (select.id || "select-" + index) + "-filter";
    box.autocomplete = "off";
    box.className = "select-filter";
    box.setAttribute("aria-controls", select.id);
    label.htmlFor = box.id;
    label.className = "select-filter-label";
    label.textContent = select.getAttribute("data-filter");
    wrap.className = "select-filter-wrap";
    wrap.appendChild(label);
    wrap.appendChild(box);
    select.parentNode.insertBefore(wrap, select);

    function visible() {
      return Array.prototype.filter.call(select.options, function (option) {
        return option.value && !option.hidden;
      });
    }

    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) {
          return;
        }
        var match =
          !text ||
          option.text.toLowerCase().indexOf(text) >= 0 ||
          option.value.toLowerCase() === text;
        option.hidden = !match && !option.selected;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (option) {
          return !option.hidden;
        });
      });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") {
        return;
      }
      event.preventDefault(); // never submit the form from the filter box
      var first = visible()[0];
      if (first) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        select.focus();
      }
    });
  });
})();

/* == filings: 撤销 of unsaved edits asks first, in a native <dialog> == */
// <a href="…the tab…" data-confirm="question" data-confirm-ok="…" data-confirm-cancel="…"> reloads the tab (the
// last saved version) without JavaScript. With it, a modal dialog asks first when the page's form has
// unsaved input; 确定 follows the link, 取消 (or Esc) stays and returns focus to the link.
(function () {
  "use strict";
  if (typeof HTMLDialogElement !== "function") {
    return;
  }
  var dirty = false;
  Array.prototype.forEach.call(document.querySelectorAll("form[data-warn-unsaved]"), function (form) {
    form.addEventListener("input", function () {
      dirty = true;
    });
    form.addEventListener("change", function () {
      dirty = true;
    });
  });

  function button(text, value, primary) {
    var element = document.createElement("button");
    element.type = "submit";
    element.value = value;
    element.className = primary ? "button button-danger" : "button";
    element.setAttribute("data-no-warn", ""); // this dialog is the question; the unsaved-changes one stays out
    element.textContent = text;
    return element;
  }

  document.addEventListener(
    "click",
    function (event) {
      var link = event.target.closest ? event.target.closest("a[data-confirm]") : null;
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      if (!dirty) {
        window.location.assign(link.href);
        return;
      }
      var dialog = document.createElement("dialog");
      var text = document.createElement("p");
      var form = document.createElement("form");
      dialog.className = "confirm-dialog";
      dialog.setAttribute("aria-labelledby", "confirm-dialog-text");
      text.id = "confirm-dialog-text";
      text.textContent = link.getAttribute("data-confirm");
      form.method = "dialog";
      form.className = "form-actions";
      form.appendChild(button(link.getAttribute("data-confirm-ok"), "ok", true));
      form.appendChild(button(link.getAttribute("data-confirm-cancel"), "cancel", false));
      dialog.appendChild(text);
      dialog.appendChild(form);
      dialog.addEventListener("close", function () {
        var ok = dialog.returnValue === "ok";
        dialog.remove();
        if (ok) {
          dirty = false;
          window.location.assign(link.href);
        } else {
          link.focus();
        }
      });
      document.body.appendChild(dialog);
      dialog.showModal();
      form.querySelector("button[value='cancel']").focus();
    },
    true
  );
})();
