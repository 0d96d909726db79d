namespace AccessTokenPanel.Domain.Permissions;

/// <summary>A named set of permissions: a user's panel role and a Configuration token's delegated role.</summary>
public sealed record PanelRole(string Name, string Description, IReadOnlySet<string> Permissions);
