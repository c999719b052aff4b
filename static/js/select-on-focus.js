/* Fields marked data-select-on-focus select their whole text when focused (an address or a
   snippet to copy): a file of its own, as the Content-Security-Policy allows no inline script. */
document.addEventListener("focusin", function (event) {
  var field = event.target;
  if (field && field.hasAttribute && field.hasAttribute("data-select-on-focus")) { field.select(); }
});
