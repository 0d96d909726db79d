using System.Collections.Concurrent;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Usage;

/// <summary>
/// Counts token calls per UTC day, refusals per day and reason, and the client addresses used, in
/// memory: a call costs no database write. The usage flusher takes the counts out with
/// <see cref="Drain"/> and writes them with <see cref="TokenUsageHistory"/>; a failed write puts them
/// back with <see cref="Restore"/>. Each kind of count holds at most <see cref="MaxKeys"/> distinct
/// keys between flushes (a flood of tokens cannot grow memory without bound); calls past that are
/// not counted, only the number of them.
/// </summary>
public sealed class TokenUsageCounts
{
    public const int MaxKeys = 20_000;

    private readonly BoundedCounts<(Guid TokenId, DateOnly Day)> _requests = new();
    private readonly BoundedCounts<(Guid TokenId, DateOnly Day, TokenValidationStatus Reason)> _refusals = new();
    private readonly ConcurrentDictionary<(Guid TokenId, string Address), DateTime> _addresses = new();
    private int _addressKeys;
    private long _dropped;

    public bool IsEmpty => _requests.IsEmpty && _refusals.IsEmpty && _addresses.IsEmpty && Interlocked.Read(ref _dropped) == 0;

    /// <summary>A call the token was accepted for, at <paramref name="at"/> (UTC), from <paramref name="address"/> when known.</summary>
    public void CountUse(Guid tokenId, DateTime at, string? address)
    {
        if (!_requests.Add((tokenId, DateOnly.FromDateTime(at)), 1))
        {
            Interlocked.Increment(ref _dropped);
        }
        if (address is not null)
        {
            NoteAddress(tokenId, address, at);
        }
    }

    /// <summary>A call with the token that was refused for <paramref name="reason"/>.</summary>
    public void CountRefusal(Guid tokenId, TokenValidationStatus reason, DateTime at)
    {
        if (!_refusals.Add((tokenId, DateOnly.FromDateTime(at), reason), 1))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Takes every pending count out; calls counted meanwhile stay for the next flush.</summary>
    public TokenUsageBatch Drain()
    {
        var requests = _requests.Drain().Select(p => new TokenDayCount(p.Key.TokenId, p.Key.Day, p.Value)).ToList();
        var refusals = _refusals.Drain().Select(p => new TokenRefusalCount(p.Key.TokenId, p.Key.Day, p.Key.Reason, p.Value)).ToList();
        var addresses = new List<TokenAddressUse>();
        foreach (var key in _addresses.Keys)
        {
            if (_addresses.TryRemove(key, out var at))
            {
                Interlocked.Decrement(ref _addressKeys);
                addresses.Add(new(key.TokenId, key.Address, at));
            }
        }
        // Only the newest few per token can survive the write: the rest are not worth a statement.
        var newest = addresses.GroupBy(a => a.TokenId)
            .SelectMany(g => g.OrderByDescending(a => a.At).Take(TokenUsageHistory.RecentAddressCount))
            .ToList();
        return new(requests, refusals, newest, Interlocked.Exchange(ref _dropped, 0));
    }

    /// <summary>Puts a batch back after a failed write: counts add to those recorded meanwhile.</summary>
    public void Restore(TokenUsageBatch batch)
    {
        foreach (var count in batch.Requests)
        {
            _requests.Add((count.TokenId, count.Day), count.Count, ignoreLimit: true);
        }
        foreach (var count in batch.Refusals)
        {
            _refusals.Add((count.TokenId, count.Day, count.Reason), count.Count, ignoreLimit: true);
        }
        foreach (var use in batch.Addresses)
        {
            NoteAddress(use.TokenId, use.Address, use.At);
        }
        if (batch.Dropped > 0)
        {
            Interlocked.Add(ref _dropped, batch.Dropped);
        }
    }

    private void NoteAddress(Guid tokenId, string address, DateTime at)
    {
        var key = (tokenId, address);
        while (true)
        {
            if (_addresses.TryGetValue(key, out var seen))
            {
                if (seen >= at || _addresses.TryUpdate(key, at, seen))
                {
                    return;
                }
                continue;
            }
            // An address is no count: past the limit it is simply not remembered.
            if (Volatile.Read(ref _addressKeys) >= MaxKeys)
            {
                return;
            }
            if (_addresses.TryAdd(key, at))
            {
                Interlocked.Increment(ref _addressKeys);
                return;
            }
        }
    }

    /// <summary>
    /// Counts per key, exact under concurrency: a value is only ever replaced by compare-and-swap
    /// and taken out by <c>TryRemove</c>, so an increment racing with a drain lands either in the
    /// drained value or in a new entry, never nowhere.
    /// </summary>
    private sealed class BoundedCounts<TKey> where TKey : notnull
    {
        private readonly ConcurrentDictionary<TKey, long> _counts = new();
        // Kept beside the dictionary: ConcurrentDictionary.Count takes every lock, too dear per call.
        private int _keys;

        public bool IsEmpty => _counts.IsEmpty;

        /// <returns>False when the key is new and the limit is reached (not counted).</returns>
        public bool Add(TKey key, long amount, bool ignoreLimit = false)
        {
            while (true)
            {
                if (_counts.TryGetValue(key, out var count))
                {
                    if (_counts.TryUpdate(key, count + amount, count))
                    {
                        return true;
                    }
                    continue;
                }
                if (!ignoreLimit && Volatile.Read(ref _keys) >= MaxKeys)
                {
                    return false;
                }
                if (_counts.TryAdd(key, amount))
                {
                    Interlocked.Increment(ref _keys);
                    return true;
                }
            }
        }

        public List<KeyValuePair<TKey, long>> Drain()
        {
            var drained = new List<KeyValuePair<TKey, long>>();
            foreach (var key in _counts.Keys)
            {
                if (_counts.TryRemove(key, out var count))
                {
                    Interlocked.Decrement(ref _keys);
                    drained.Add(new(key, count));
                }
            }
            return drained;
        }
    }
}
