namespace AccessTokenPanel.Domain.ExternalTokens;

/// <summary>
/// Which issuer and key URLs the panel trusts. The host sets this from its environment; it is no
/// configuration key, so an operator cannot turn TLS off for signing keys in production.
/// </summary>
public sealed class ExternalIssuerUrlOptions
{
    /// <summary>Plain http to this machine (a local test issuer): the Development environment only.</summary>
    public bool AllowLoopbackHttp { get; set; }
}
