// Small glue the interactive panel needs beyond MudBlazor. Pages never depend on it to work.
window.panel = {
    // The theme toggle's choice, read by the server on the next request (so the first paint is right).
    saveTheme(value) {
        document.cookie = `Panel.Theme=${value === "dark" ? "dark" : "light"}; path=/; max-age=31536000; samesite=lax`;
    },
};

// Reconnect UI (Components/Layout/ReconnectModal.razor): blazor.web.js sets the state classes.
(() => {
    const modal = document.getElementById("components-reconnect-modal");
    if (!modal) return;
    const on = (id, handler) => document.getElementById(id)?.addEventListener("click", handler);
    on("panel-reconnect-reload", () => location.reload());
    on("panel-reconnect-retry", async () => {
        try {
            if (!await Blazor.reconnect() && !await Blazor.resumeCircuit?.()) location.reload();
        } catch {
            location.reload();
        }
    });
    on("panel-reconnect-resume", async () => {
        if (!await Blazor.resumeCircuit?.()) location.reload();
    });
})();
