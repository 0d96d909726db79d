using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>axe-core scans for the browser tests.</summary>
public static class Axe
{
    /// <summary>
    /// Runs axe-core's <c>axe.run</c> in the page itself (the package's legacy mode). Its default mode
    /// runs <c>axe.runPartial</c> and then <c>axe.finishRun</c> in a blank page it opens for every
    /// scan, which cost about 3 s a scan here against 0.2 s for the scan itself. The one thing the
    /// default mode adds, cross-origin frames, the panel does not have. The package marks legacy mode
    /// obsolete ("being removed in the future"): when it goes, this line stops compiling, and the
    /// default <c>page.RunAxe(context)</c> is the drop-in replacement, slower but equivalent here.
    /// Only violations are asserted on, so only they carry every node (axe's <c>resultTypes</c>): the
    /// passes' nodes made the answer large enough to cost about a second more per scan.
    /// </summary>
    private static readonly AxeRunOptions ViolationsInFull = new() { ResultTypes = [ResultType.Violations] };

    public static Task<AxeResult> ScanAsync(IPage page, AxeRunContext? context = null)
    {
#pragma warning disable CS0618
        return page.RunAxeLegacy(context, ViolationsInFull, null);
#pragma warning restore CS0618
    }
}
