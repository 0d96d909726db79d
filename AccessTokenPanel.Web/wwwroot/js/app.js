// Progressive enhancement only: every page works without this file.

// Copy buttons: shown only when script runs, since they need the clipboard API.
for (const button of document.querySelectorAll("[data-copy-target]")) {
    const field = document.getElementById(button.dataset.copyTarget);
    const status = document.getElementById(`${button.dataset.copyTarget}-status`);
    if (!field) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
        let copied = false;
        try {
            await navigator.clipboard.writeText(field.value);
            copied = true;
        } catch {
            field.focus();
            field.select();
            copied = document.execCommand && document.execCommand("copy");
        }
        if (status) {
            status.textContent = copied ? "Copied" : "Press Ctrl+C (or ⌘C) to copy the selected token";
            status.classList.toggle("copied", copied);
        }
    });
}

// Expiry presets: fill the Days field in one click.
for (const preset of document.querySelectorAll("[data-days-preset]")) {
    preset.hidden = false;
    preset.addEventListener("click", () => {
        const days = document.getElementById("token-days");
        if (!days) return;
        days.value = preset.dataset.daysPreset;
        days.focus();
    });
}

// A dialog the server rendered open becomes modal: focus stays inside, Escape closes it.
for (const dialog of document.querySelectorAll("dialog[open][data-close-href]")) {
    dialog.close();
    dialog.showModal();
    dialog.closest(".dialog-layer")?.classList.add("is-modal");
    dialog.addEventListener("cancel", event => {
        event.preventDefault();
        window.location.assign(dialog.dataset.closeHref);
    });
}

// After showing a secret, point the address at the plain list, so reloading shows the list
// instead of re-posting the form.
const shown = document.querySelector("[data-replace-url]");
if (shown) {
    history.replaceState(null, "", shown.dataset.replaceUrl);
}
