using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>The outcome of reading an allowlist as typed: the normalised networks, or why not.</summary>
public sealed record AllowlistParseResult(IReadOnlyList<IPNetwork> Networks, IReadOnlyList<DomainError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>The column value: null for "from anywhere".</summary>
    public string? Stored => AddressAllowlist.Format(Networks);
}

/// <summary>
/// A token's allowed client addresses: IPv4 and IPv6 addresses and CIDR networks. Entries are
/// stored normalised (host bits must be zero, IPv4-mapped IPv6 written as IPv4) and compared with
/// the client address normalised the same way, so <c>::ffff:10.1.2.3</c> matches <c>10.0.0.0/8</c>.
/// </summary>
public static class AddressAllowlist
{
    private static readonly char[] Separators = [',', ';', '\n', '\r', ' ', '\t'];

    // The bearer check runs per request: each distinct stored list is parsed once. The lists are few
    // (one per token at most); the bound only guards against a pathological database.
    private static readonly ConcurrentDictionary<string, IPNetwork[]> ParsedLists = new(StringComparer.Ordinal);
    private const int MaxCachedLists = 4096;

    /// <summary>Reads a list typed on the screen: one entry per line, or separated by commas or spaces.</summary>
    public static AllowlistParseResult Parse(string? text) => Parse(Split(text));

    /// <summary>Splits typed text into entries: one per line, or separated by commas, semicolons or spaces.</summary>
    public static IReadOnlyList<string> Split(string? text) =>
        text?.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>Reads a list of entries (an API's JSON array). Blank entries and duplicates are dropped.</summary>
    public static AllowlistParseResult Parse(IEnumerable<string?>? entries)
    {
        var networks = new List<IPNetwork>();
        var errors = new List<DomainError>();
        foreach (var raw in entries ?? [])
        {
            var entry = raw?.Trim();
            if (string.IsNullOrEmpty(entry))
            {
                continue;
            }
            if (!TryParseEntry(entry, out var network, out var problem))
            {
                errors.Add(new(TokenErrorCodes.AddressInvalid, TokenFields.AllowedAddresses, problem));
            }
            else if (!networks.Contains(network))
            {
                networks.Add(network);
            }
        }
        if (networks.Count > TokenRules.MaxAllowedAddresses)
        {
            errors.Add(new(TokenErrorCodes.TooManyAddresses, TokenFields.AllowedAddresses,
                $"A token may list at most {TokenRules.MaxAllowedAddresses} addresses or networks (got {networks.Count}); use wider networks such as 10.0.0.0/8."));
        }
        return errors.Count > 0 ? new([], errors) : new(networks, []);
    }

    /// <summary>The column value for a list: comma-separated, or null when the list is empty.</summary>
    public static string? Format(IReadOnlyCollection<IPNetwork> networks) =>
        networks.Count == 0 ? null : string.Join(",", networks.Select(Describe));

    /// <summary>The stored entries, for display and APIs.</summary>
    public static IReadOnlyList<string> Entries(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : stored.Split(',');

    /// <summary>A single address as itself, a network in CIDR notation.</summary>
    public static string Describe(IPNetwork network) =>
        network.PrefixLength == (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
            ? network.BaseAddress.ToString()
            : network.ToString();

    /// <summary>An IPv4-mapped IPv6 address (<c>::ffff:10.1.2.3</c>, as dual-stack sockets report IPv4 peers) as IPv4.</summary>
    /// <summary>
    /// Whether <paramref name="proposed"/> lets in an address <paramref name="current"/> does not: the
    /// list removed (null allows everyone), or a network not inside one of today's networks.
    /// </summary>
    public static bool Widens(string? current, string? proposed)
    {
        if (current is null)
        {
            return false;
        }
        if (proposed is null)
        {
            return true;
        }
        var today = Parse(Entries(current)).Networks;
        return Parse(Entries(proposed)).Networks.Any(wanted => !today.Any(held =>
            held.BaseAddress.AddressFamily == wanted.BaseAddress.AddressFamily
            && held.PrefixLength <= wanted.PrefixLength
            && held.Contains(wanted.BaseAddress)));
    }

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>
    /// Whether a call from <paramref name="client"/> may use a token with this stored list. No list:
    /// yes. A list but no known client address: no (fail closed).
    /// </summary>
    public static bool Allows(string? stored, IPAddress? client)
    {
        if (stored is null)
        {
            return true;
        }
        if (client is null)
        {
            return false;
        }
        var address = Normalize(client);
        foreach (var network in NetworksOf(stored))
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    private static IPNetwork[] NetworksOf(string stored)
    {
        if (ParsedLists.TryGetValue(stored, out var cached))
        {
            return cached;
        }
        if (ParsedLists.Count >= MaxCachedLists)
        {
            ParsedLists.Clear();
        }
        var parsed = Parse(Entries(stored)).Networks.ToArray();
        ParsedLists.TryAdd(stored, parsed);
        return parsed;
    }

    private static bool TryParseEntry(string entry, out IPNetwork network, out string problem)
    {
        network = default;
        problem = "";
        var slash = entry.IndexOf('/');
        var addressPart = slash < 0 ? entry : entry[..slash];
        // Zone ids (fe80::1%eth0) name a local interface, not a client; IPv4 must be the dotted
        // four-part form (IPAddress.TryParse also takes "10.1" and "167772161", which nobody means).
        if (addressPart.Contains('%') || !IPAddress.TryParse(addressPart, out var address)
            || (address.AddressFamily == AddressFamily.InterNetwork && address.ToString() != addressPart))
        {
            problem = $"'{entry}' is not an IP address or network: write e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::1 or 2001:db8::/32.";
            return false;
        }
        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(entry.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            problem = $"'{entry}': the prefix length after / must be a number from 0 to {maxPrefix}.";
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            if (prefix < 96)
            {
                problem = $"'{entry}': an IPv4-mapped network needs a prefix of /96 or longer; write the IPv4 network instead.";
                return false;
            }
            address = address.MapToIPv4();
            prefix -= 96;
        }
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        var baseAddress = new IPAddress(bytes);
        if (!baseAddress.Equals(address))
        {
            problem = $"'{entry}' has bits set after the /{prefix} prefix: the network is {baseAddress}/{prefix}.";
            return false;
        }
        network = new IPNetwork(baseAddress, prefix);
        return true;
    }
}
