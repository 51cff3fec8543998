// sharedoutcomes validator page: drag and drop onto the upload form. Without JavaScript the form works as it is.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");
  function ready() {
    var form = document.getElementById("upload");
    var zone = document.getElementById("drop");
    if (!form || !zone) { return; }
    var files = document.getElementById("files");
    var folder = document.getElementById("folder");
    var chosen = document.getElementById("chosen");
    function say(list) {
      var n = list ? list.length : 0;
      chosen.textContent = n ? n + (n === 1 ? " file chosen" : " files chosen") : "";
    }
    files.addEventListener("change", function () { say(files.files); });
    folder.addEventListener("change", function () { say(folder.files); });
    function walk(entry, out) {  // a dropped folder: every file inside it, at any depth
      return new Promise(function (done) {
        if (entry.isFile) { entry.file(function (f) { out.push(f); done(); }, function () { done(); }); return; }
        if (!entry.isDirectory) { done(); return; }
        var reader = entry.createReader();
        var pending = [];
        (function more() {
          reader.readEntries(function (batch) {
            if (!batch.length) { Promise.all(pending).then(function () { done(); }); return; }
            batch.forEach(function (e) { pending.push(walk(e, out)); });
            more();
          }, function () { done(); });
        })();
      });
    }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      var items = e.dataTransfer.items;
      var out = [];
      var walks = [];
      if (items && items.length && items[0].webkitGetAsEntry) {
        for (var i = 0; i < items.length; i++) {
          var entry = items[i].webkitGetAsEntry();
          if (entry) { walks.push(walk(entry, out)); }
        }
      } else {
        out = Array.prototype.slice.call(e.dataTransfer.files);
      }
      Promise.all(walks).then(function () {
        var transfer = new DataTransfer();
        out.forEach(function (f) { transfer.items.add(f); });
        files.files = transfer.files;
        folder.value = "";
        say(files.files);
        files.focus();
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
