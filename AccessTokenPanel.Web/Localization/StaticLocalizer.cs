using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Localization;

/// <summary>
/// The localizer of a resource for code that is not built by dependency injection (static helpers,
/// handlers that tests construct directly): the same resx files and the same culture lookup as an
/// injected <c>IStringLocalizer&lt;T&gt;</c>.
/// </summary>
internal static class StaticLocalizer
{
    private static readonly ResourceManagerStringLocalizerFactory Factory =
        new(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);

    public static IStringLocalizer For<T>() => Factory.Create(typeof(T));
}
