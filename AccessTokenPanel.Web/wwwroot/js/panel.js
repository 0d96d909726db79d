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
    // As the .NET 10 template's ReconnectModal.razor.js: a circuit the server no longer knows
    // (its instance stopped or restarted, or it expired) cannot come back, so the page reloads by
    // itself and gets a new one, wherever the balancer sends it; a failed reconnect (server out of
    // reach) is tried again when the tab is looked at again.
    modal.addEventListener("components-reconnect-state-changed", event => {
        if (event.detail.state === "rejected") {
            location.reload();
        } else if (event.detail.state === "failed") {
            document.addEventListener("visibilitychange", retryWhenVisible);
        }
    });
    const retryWhenVisible = async () => {
        if (document.visibilityState !== "visible") return;
        document.removeEventListener("visibilitychange", retryWhenVisible);
        try {
            if (!await Blazor.reconnect() && !await Blazor.resumeCircuit?.()) location.reload();
        } catch {
            document.addEventListener("visibilitychange", retryWhenVisible);
        }
    };
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
