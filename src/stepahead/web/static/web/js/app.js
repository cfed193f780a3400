// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // <select data-autosubmit>: submit the form on change (organisation switcher).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });

  // <input data-filter-for="select-id">: type to narrow a long <select multiple>.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-filter-for]")) return;
    var select = document.getElementById(input.getAttribute("data-filter-for"));
    if (!select) return;
    var needle = input.value.trim().toLowerCase();
    Array.prototype.forEach.call(select.options, function (option) {
      option.hidden = needle !== "" && !option.selected && option.text.toLowerCase().indexOf(needle) === -1;
    });
  });

  // <input type=checkbox data-check-all="name">: tick or untick every box with that name.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-check-all]")) return;
    var name = box.getAttribute("data-check-all");
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (other) {
      other.checked = box.checked;
    });
  });

  // <button data-copy="input-id">: copy that input's value (a personal invitation link).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    var done = function () { button.firstChild.textContent = "Copied"; };
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, function () {});
    else if (document.execCommand("copy")) done();
  });

  // <button data-dismiss>: close the notice it sits in (the review board's feedback line).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-dismiss]") : null;
    var notice = button && button.closest(".notice");
    if (notice) notice.remove();
  });

  // Move focus to the first error after a full-page form submission that failed.
  ready(function () {
    var invalid = document.querySelector("[aria-invalid=true]");
    if (invalid) invalid.focus();
  });
})();
