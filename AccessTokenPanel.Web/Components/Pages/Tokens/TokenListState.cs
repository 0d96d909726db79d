using System.Globalization;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Web.Components.Pages.Tokens;

/// <summary>
/// What the token list shows, as it travels in the query string: filters, sort and page. Links and
/// GET forms carry it so every view can be bookmarked, reloaded and used without JavaScript.
/// </summary>
public sealed record TokenListState(string? Status, string? Api, string? Sort, string? Dir, int Page, string? Owner, string? Usage = null)
{
    public const int PageSize = 20;

    public static readonly IReadOnlyList<(string Value, string Label)> StatusFilters =
    [
        ("", "Active and expired"),
        ("active", "Active"),
        ("expired", "Expired"),
        ("revoked", "Revoked"),
        ("expiring7", "Active, expiring within 7 days"),
        ("expiring30", "Active, expiring within 30 days"),
        ("all", "All"),
    ];

    /// <summary>Finding the tokens nobody uses: never used at all, or not in the usage history's 90 days (never used included).</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> UsageFilters =
    [
        ("", "Any use"),
        ("never", "Never used"),
        ("idle90", "Not used for 90 days"),
    ];

    public static readonly IReadOnlyList<string> SortKeys = ["name", "api", "role", "created", "expires", "lastused"];

    public static TokenListState From(string? status, string? api, string? sort, string? dir, int? page, string? owner, string? usage = null) => new(
        StatusFilters.Any(f => f.Value == status) ? status : null,
        ParseApi(api) is { } parsedApi ? ApiKey(parsedApi) : null,
        SortKeys.Contains(sort) ? sort : null,
        dir is "asc" or "desc" ? dir : null,
        page is > 1 ? page.Value : 1,
        string.IsNullOrWhiteSpace(owner) ? null : owner.Trim(),
        UsageFilters.Any(f => f.Value == usage && f.Value != "") ? usage : null);

    public string SortKey => Sort ?? "created";

    /// <summary>Newest first by default; names and APIs read naturally A to Z, expiry soonest first.</summary>
    public bool Descending => Dir is { } d ? d == "desc" : DefaultDescending(SortKey);

    public ApiType? ApiFilter => ParseApi(Api);

    public bool IsFiltered => Status is not null || Api is not null || Owner is not null || Usage is not null;

    public static string ApiKey(ApiType api) => api.ToString().ToLowerInvariant();

    public static ApiType? ParseApi(string? value) =>
        ApiTypes.All.Cast<ApiType?>().FirstOrDefault(a => string.Equals(ApiKey(a!.Value), value, StringComparison.OrdinalIgnoreCase));

    public static bool DefaultDescending(string sortKey) => sortKey is "created" or "lastused";

    /// <summary>The query pairs that differ from the defaults, for links and hidden form fields.</summary>
    public IEnumerable<KeyValuePair<string, string>> Pairs()
    {
        if (Status is not null) yield return new("status", Status);
        if (Api is not null) yield return new("api", Api);
        if (Owner is not null) yield return new("owner", Owner);
        if (Usage is not null) yield return new("usage", Usage);
        if (Sort is not null) yield return new("sort", Sort);
        if (Dir is not null) yield return new("dir", Dir);
        if (Page > 1) yield return new("page", Page.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A relative link to <paramref name="path"/> with this state plus the extra pairs.</summary>
    public string Href(string path, params (string Key, string Value)[] extra)
    {
        var pairs = Pairs().Select(p => (p.Key, p.Value)).Concat(extra).ToList();
        return pairs.Count == 0
            ? path
            : path + "?" + string.Join("&", pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
    }

    /// <summary>The link a column header points to: the same column flips direction, another starts at its natural one.</summary>
    public string SortHref(string path, string key)
    {
        var descending = key == SortKey ? !Descending : DefaultDescending(key);
        return (this with { Sort = key, Dir = descending ? "desc" : "asc", Page = 1 }).Href(path);
    }

    public TokenListState WithPage(int page) => this with { Page = page };
}
