using Microsoft.Extensions.Localization;
using MudBlazor;

namespace AccessTokenPanel.Web.Localization;

/// <summary>
/// MudBlazor's own texts (pager, date picker, data grid filters, close buttons) in Japanese from
/// <c>MudTexts.ja.resx</c>. MudBlazor asks only for languages other than English: English stays its own.
/// </summary>
internal sealed class PanelMudLocalizer(IStringLocalizer<MudTexts> texts) : MudLocalizer
{
    public override LocalizedString this[string key] => texts[key];

    public override LocalizedString this[string key, params object[] arguments] => texts[key, arguments];
}

