using System.Collections.Concurrent;

namespace AccessTokenPanel.Web.Authentication;

public readonly record struct TokenUsage(DateTime At, string? From);

/// <summary>
/// Remembers when and from where each token was last used, in memory, so a request costs no
/// database write; <see cref="TokenUsageFlusher"/> writes the latest use per token periodically
/// and at shutdown.
/// </summary>
public sealed class TokenUsageRecorder
{
    private readonly ConcurrentDictionary<Guid, TokenUsage> _pending = new();

    public void Record(Guid tokenId, DateTime at, string? from) =>
        // Static lambdas with the use as argument: no closure allocated per request.
        _pending.AddOrUpdate(tokenId, static (_, use) => use,
            static (_, previous, use) => previous.At > use.At ? previous : use, new TokenUsage(at, from));

    /// <summary>A use not yet written to the database, for screens that want to show it already.</summary>
    public TokenUsage? Pending(Guid tokenId) => _pending.TryGetValue(tokenId, out var usage) ? usage : null;

    /// <summary>Takes the pending uses out; a use recorded meanwhile stays for the next flush.</summary>
    public IReadOnlyList<KeyValuePair<Guid, TokenUsage>> Drain()
    {
        var drained = new List<KeyValuePair<Guid, TokenUsage>>();
        foreach (var tokenId in _pending.Keys)
        {
            if (_pending.TryRemove(tokenId, out var usage))
            {
                drained.Add(new(tokenId, usage));
            }
        }
        return drained;
    }

    /// <summary>Puts uses back after a failed write, unless a later one arrived meanwhile.</summary>
    public void Restore(IEnumerable<KeyValuePair<Guid, TokenUsage>> usages)
    {
        foreach (var (tokenId, usage) in usages)
        {
            Record(tokenId, usage.At, usage.From);
        }
    }
}
