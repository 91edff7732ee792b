// The UMKM form's "Gunakan lokasi saya": fills latitude and longitude from the device's position
// (Geolocation API), saying in the officer's language what went wrong. The fields stay typeable, and
// without the API (or without JavaScript) the button stays hidden.
(() => {
  "use strict";

  const GOOD_ENOUGH_METRES = 100; // beyond it the point is filled, with a warning to check it
  const TOO_ROUGH_METRES = 1000; // beyond it (a position guessed from the network) nothing is filled
  const numbers = new Intl.NumberFormat("id-ID");

  function setUp(box) {
    const button = box.querySelector("button");
    const status = box.querySelector("[role=status]");
    const latitude = document.getElementById(box.dataset.latitude);
    const longitude = document.getElementById(box.dataset.longitude);
    if (!("geolocation" in navigator) || !button || !latitude || !longitude) return;
    button.hidden = false;

    const say = (text, warning = false) => {
      status.textContent = text;
      status.classList.toggle("warning", warning);
    };
    const put = (field, value) => {
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    };

    function found(position) {
      button.disabled = false;
      const { latitude: lat, longitude: lon, accuracy } = position.coords;
      const metres = numbers.format(Math.round(accuracy));
      if (lat < -11 || lat > 6 || lon < 94 || lon > 142) {
        say(box.dataset.msgOutside, true);
      } else if (accuracy > TOO_ROUGH_METRES) {
        say(box.dataset.msgRough.replace("{metres}", metres), true);
      } else {
        put(latitude, lat.toFixed(6));
        put(longitude, lon.toFixed(6));
        if (accuracy > GOOD_ENOUGH_METRES) say(box.dataset.msgInaccurate.replace("{metres}", metres), true);
        else say(box.dataset.msgFound.replace("{metres}", metres));
      }
    }

    function failed(error) {
      button.disabled = false;
      if (error.code === error.PERMISSION_DENIED) say(box.dataset.msgDenied, true);
      else if (error.code === error.TIMEOUT) say(box.dataset.msgTimeout, true);
      else say(box.dataset.msgUnavailable, true);
    }

    button.addEventListener("click", () => {
      if (!window.isSecureContext) {
        say(box.dataset.msgInsecure, true);
        return;
      }
      button.disabled = true;
      say(box.dataset.msgWaiting);
      navigator.geolocation.getCurrentPosition(found, failed, {
        enableHighAccuracy: true,
        timeout: 30000,
        maximumAge: 0,
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const box of document.querySelectorAll("[data-locate]")) setUp(box);
  });
})();
