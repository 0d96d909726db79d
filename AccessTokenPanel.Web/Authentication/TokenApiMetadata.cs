using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Web.Authentication;

/// <summary>Endpoint metadata naming the API an endpoint belongs to, so the bearer handler knows which tokens it accepts.</summary>
public sealed record TokenApiMetadata(ApiType Api);
