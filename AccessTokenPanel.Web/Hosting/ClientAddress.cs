using System.Net;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Web.Hosting;

/// <summary>
/// The client's address as every feature sees it (token allowlists, rate limits, "last used", sign-in
/// audit): the connection's peer, rewritten by the forwarded-headers middleware only when the peer
/// is one of <c>Hosting:TrustedProxies</c>, with IPv4-mapped IPv6 (<c>::ffff:10.1.2.3</c>, as
/// dual-stack sockets report IPv4 peers) written as IPv4 so that one client is one address.
/// </summary>
public static class ClientAddress
{
    public static IPAddress? Of(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address ? AddressAllowlist.Normalize(address) : null;

    public static string? TextOf(HttpContext http) => Of(http)?.ToString();
}
