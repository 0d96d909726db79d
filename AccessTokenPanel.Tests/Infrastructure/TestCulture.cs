using System.Globalization;

namespace AccessTokenPanel.Tests.Infrastructure;

public static class TestCulture
{
    /// <summary>Runs <paramref name="action"/> with the given culture and UI culture, then restores the thread's own.</summary>
    public static void Run(string name, Action action)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(name);
        try
        {
            action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
