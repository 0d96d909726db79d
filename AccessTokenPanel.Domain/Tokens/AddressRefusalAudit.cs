using System.Collections.Concurrent;
using AccessTokenPanel.Domain.Audit;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// Audits calls refused because of a token's allowed addresses without a database write per
/// refusal: refusals are counted in memory per token and address, and a periodic flush writes one
/// entry per pair ("refused 37 times between ... and ..."). Someone hammering a stolen token from a
/// wrong address costs one entry per flush, not one per request; past
/// <see cref="MaxPairsPerFlush"/> distinct pairs the rest are only counted, in one summary entry.
/// </summary>
public sealed class AddressRefusalAudit
{
    public const int MaxPairsPerFlush = 100;

    private readonly ConcurrentDictionary<(Guid TokenId, string Address), Refusals> _pending = new();
    private long _overflow;

    private sealed class Refusals(DateTime first)
    {
        public DateTime First { get; } = first;
        public DateTime Last;
        public int Count;
    }

    public bool IsEmpty => _pending.IsEmpty && Interlocked.Read(ref _overflow) == 0;

    public void Record(Guid tokenId, string address, DateTime at)
    {
        if (!_pending.TryGetValue((tokenId, address), out var refusals))
        {
            if (_pending.Count >= MaxPairsPerFlush)
            {
                Interlocked.Increment(ref _overflow);
                return;
            }
            refusals = _pending.GetOrAdd((tokenId, address), static (_, at) => new Refusals(at), at);
        }
        lock (refusals)
        {
            refusals.Count++;
            if (at > refusals.Last)
            {
                refusals.Last = at;
            }
        }
    }

    /// <summary>Adds the pending refusals to <paramref name="audit"/>'s unit of work; the caller saves. Returns how many entries.</summary>
    public int DrainInto(AuditLog audit)
    {
        var written = 0;
        foreach (var key in _pending.Keys)
        {
            if (!_pending.TryRemove(key, out var refusals))
            {
                continue;
            }
            int count;
            DateTime last;
            lock (refusals)
            {
                count = refusals.Count;
                last = refusals.Last;
            }
            audit.Record(null, AuditActions.TokenAddressRefused, "token", key.TokenId.ToString(),
                count == 1
                    ? $"A call from {key.Address} was refused at {last:u}: the address is not in the token's allowed client addresses"
                    : $"{count} calls from {key.Address} were refused between {refusals.First:u} and {last:u}: the address is not in the token's allowed client addresses");
            written++;
        }
        var overflow = Interlocked.Exchange(ref _overflow, 0);
        if (overflow > 0)
        {
            audit.Record(null, AuditActions.TokenAddressRefused, "token", null,
                $"{overflow} more calls were refused for their client address from other token and address pairs (not itemised: more than {MaxPairsPerFlush} pairs at once)");
            written++;
        }
        return written;
    }
}
