using AccessTokenPanel.Domain.Permissions;

namespace AccessTokenPanel.Domain.Authorization;

/// <summary>
/// The permission table: every operation of the panel and what it needs, as data. The Domain's
/// operations read their row from here (<see cref="OperationGuard"/>), every endpoint, GraphQL field
/// and screen action names the row it performs, and the authorization matrix test enumerates it.
/// </summary>
public static class Operations
{
    private static readonly IReadOnlySet<ActorKind> People = Kinds(ActorKind.Session, ActorKind.Token, ActorKind.AccessToken, ActorKind.ExternalJwt);
    private static readonly IReadOnlySet<ActorKind> PeopleAndPanel = Kinds(ActorKind.Session, ActorKind.Token, ActorKind.AccessToken, ActorKind.ExternalJwt, ActorKind.System);
    // Changing trust anchors or minting credentials from a JWT would let one identity provider vouch for itself.
    private static readonly IReadOnlySet<ActorKind> PanelCredentials = Kinds(ActorKind.Session, ActorKind.Token, ActorKind.AccessToken);

    // Tokens
    public static readonly Operation ListOwnTokens = new("tokens.list-own", OperationScope.Own, [], false, StepUpRule.None, People,
        "Lists the actor's own tokens.");
    public static readonly Operation ListAllTokens = new("tokens.list-all", OperationScope.Global, [Permission.TokensReadAll], false, StepUpRule.None, People,
        "Lists every user's tokens (the inventory).");
    public static readonly Operation ReadToken = new("tokens.read", OperationScope.Token, [Permission.TokensReadAll], false, StepUpRule.None, People,
        "Reads one token and its usage: the actor's own, or anyone's with the inventory permission.");
    public static readonly Operation IssueToken = new("tokens.issue", OperationScope.Own, [], false, StepUpRule.Always, PanelCredentials,
        "Issues a token for the actor, or for a service account they own, within the token policy; a Configuration token's role only among roles the owner holds.");
    public static readonly Operation ExchangeToken = new("tokens.exchange", OperationScope.Own, [], false, StepUpRule.None, Kinds(ActorKind.Token),
        "Exchanges a live long-lived token for a short-lived access token (OAuth refresh_token grant).");
    public static readonly Operation RotateToken = new("tokens.rotate", OperationScope.Token, [Permission.TokensRevokeAll], true, StepUpRule.Always, PanelCredentials,
        "Rotates a token: a new secret while the old one works for an overlap.");
    public static readonly Operation RevokeToken = new("tokens.revoke", OperationScope.Token, [Permission.TokensRevokeAll], true, StepUpRule.None, People,
        "Revokes (deletes) a token and the tokens derived from it.");
    public static readonly Operation RevokeOwnTokens = new("tokens.revoke-own-all", OperationScope.Own, [], false, StepUpRule.None, Kinds(ActorKind.Session),
        "Revokes every token of the actor's.");
    public static readonly Operation SetAllowedAddresses = new("tokens.set-allowed-addresses", OperationScope.Token, [Permission.TokensRevokeAll], true,
        StepUpRule.WhenWidening, PanelCredentials,
        "Replaces a token's allowed client addresses; widening the list, or removing it, needs a current code.");
    public static readonly Operation RevokeLeakedToken = new("tokens.revoke-leaked", OperationScope.Global, [], false, StepUpRule.None, Kinds(ActorKind.System),
        "Revokes a token a secret scanner reported as published (the report's signature is the credential).");

    // Token requests (approval) and the token policy
    public static readonly Operation ListOwnTokenRequests = new("token-requests.list-own", OperationScope.Own, [], false, StepUpRule.None, People,
        "Lists the actor's own token requests: pending, approved, denied, lapsed, taken.");
    public static readonly Operation ListPendingTokenRequests = new("token-requests.list-pending", OperationScope.Global, [Permission.TokensApprove], false,
        StepUpRule.None, People,
        "Lists the token requests waiting for approval.");
    public static readonly Operation DecideTokenRequest = new("token-requests.decide", OperationScope.Account, [Permission.TokensApprove], true,
        StepUpRule.None, PanelCredentials,
        "Approves or denies someone else's token request, with a reason; never one's own.");
    public static readonly Operation TakeTokenRequest = new("token-requests.take", OperationScope.Own, [], false, StepUpRule.Always, PanelCredentials,
        "Takes the secret of one's own approved token request, once, with a fresh code.");
    public static readonly Operation EnforceTokenPolicy = new("tokens.enforce-policy", OperationScope.Global,
        [Permission.SettingsWrite, Permission.TokensRevokeAll], false, StepUpRule.None, People,
        "Brings the tokens over the policy into it: shortens them, or revokes those the policy no longer allows.");
    public static readonly Operation RevokeIdleTokens = new("tokens.revoke-idle", OperationScope.Global, [], false, StepUpRule.None, Kinds(ActorKind.System),
        "Revokes the tokens nobody used for the policy's idle days (the panel's own scheduled work).");

    // Service accounts
    public static readonly Operation ListServiceAccounts = new("service-accounts.list", OperationScope.Own, [], false, StepUpRule.None, People,
        "Lists the service accounts the actor owns, or every one with the permission to read users.");
    public static readonly Operation ReadServiceAccount = new("service-accounts.read", OperationScope.ServiceAccount, [Permission.UsersRead], false,
        StepUpRule.None, People,
        "Reads a service account with its owners and tokens: its owners, or anyone who may read users.");
    public static readonly Operation CreateServiceAccount = new("service-accounts.create", OperationScope.Global, [Permission.UsersWrite], false,
        StepUpRule.None, People,
        "Creates a service account with a role whose permissions the actor holds; the actor becomes its first owner.");
    public static readonly Operation ManageServiceAccount = new("service-accounts.manage", OperationScope.ServiceAccount, [Permission.UsersWrite], true,
        StepUpRule.None, People,
        "Adds or removes an owner, changes the description, disables or enables a service account: its owners, or a users administrator.");
    public static readonly Operation DeleteServiceAccount = new("service-accounts.delete", OperationScope.Account, [Permission.UsersWrite], true,
        StepUpRule.None, People,
        "Deletes a service account and revokes its tokens.");

    // Users
    public static readonly Operation ReadUsers = new("users.read", OperationScope.Global, [Permission.UsersRead], false, StepUpRule.None, People,
        "Lists and reads users.");
    public static readonly Operation CreateUser = new("users.create", OperationScope.Global, [Permission.UsersWrite], false, StepUpRule.None, People,
        "Creates a user, with roles whose permissions the actor holds.");
    public static readonly Operation UpdateUser = new("users.update", OperationScope.Account, [Permission.UsersWrite], true, StepUpRule.None, People,
        "Changes a user's names, email, password, externalId, or disables/enables them.");
    public static readonly Operation SetUserRole = new("users.set-role", OperationScope.Account, [Permission.UsersWrite], true, StepUpRule.None, People,
        "Gives or takes a role whose permissions the actor holds.");
    public static readonly Operation ResetSecondFactor = new("users.reset-second-factor", OperationScope.Account, [Permission.UsersWrite], true, StepUpRule.None, People,
        "Removes a user's authenticator; they enroll again.");
    public static readonly Operation EndSessions = new("users.end-sessions", OperationScope.Account, [Permission.UsersWrite], true, StepUpRule.None, People,
        "Ends every session of a user.");
    public static readonly Operation DeleteUser = new("users.delete", OperationScope.Account, [Permission.UsersWrite], true, StepUpRule.None, People,
        "Deletes a user: tokens revoked, sessions ended.");

    // Settings, trust anchors, audit
    public static readonly Operation ReadSettings = new("settings.read", OperationScope.Global, [Permission.SettingsRead], false, StepUpRule.None, People,
        "Reads the settings and the token policy.");
    public static readonly Operation ChangeSettings = new("settings.write", OperationScope.Global, [Permission.SettingsWrite], false, StepUpRule.None, People,
        "Changes the settings and the token policy.");
    public static readonly Operation ReadExternalValidators = new("validators.read", OperationScope.Global, [Permission.SettingsRead], false, StepUpRule.None, People,
        "Lists the external token validators.");
    public static readonly Operation ChangeExternalValidators = new("validators.write", OperationScope.Global, [.. Permission.All], false, StepUpRule.Always,
        PanelCredentials,
        "Adds, edits or removes an external token validator (a trust anchor): every permission and a current code.");
    public static readonly Operation ReadAudit = new("audit.read", OperationScope.Global, [Permission.AuditRead], false, StepUpRule.None, People,
        "Reads the audit log.");

    // The actor's own account
    public static readonly Operation ReadOwnNotices = new("notices.own", OperationScope.Own, [], false, StepUpRule.None, Kinds(ActorKind.Session),
        "Reads and marks read the actor's own notices.");

    // Passkeys: the actor's own sign-in methods. Adding one, or removing one, is a change of how the
    // account is proven, so it needs a current code (someone at an unlocked screen cannot do it alone).
    public static readonly Operation ListOwnPasskeys = new("passkeys.list-own", OperationScope.Own, [], false, StepUpRule.None, Kinds(ActorKind.Session),
        "Lists the actor's own passkeys (name, added, last used).");
    public static readonly Operation AddPasskey = new("passkeys.add", OperationScope.Own, [], false, StepUpRule.Always, Kinds(ActorKind.Session),
        "Adds a passkey to the actor's account (at most 10).");
    public static readonly Operation RenamePasskey = new("passkeys.rename", OperationScope.Own, [], false, StepUpRule.None, Kinds(ActorKind.Session),
        "Renames one of the actor's passkeys.");
    public static readonly Operation RemovePasskey = new("passkeys.remove", OperationScope.Own, [], false, StepUpRule.Always, Kinds(ActorKind.Session),
        "Removes one of the actor's passkeys.");

    // Single sign-on: the OpenID Provider's word, checked by the panel (a signed logout token, a
    // verified sign-in), is the credential; the panel itself acts.
    public static readonly Operation EndSessionsByProvider = new("sessions.end-by-provider", OperationScope.Global, [], false, StepUpRule.None,
        Kinds(ActorKind.System),
        "Ends the panel sessions an OpenID Provider's logout names (back-channel: a logout token signed by the provider; front-channel: its sid).");
    public static readonly Operation CreateUserBySso = new("users.create-by-sso", OperationScope.Global, [], false, StepUpRule.None,
        Kinds(ActorKind.System),
        "Creates the user at their first single sign-on (Sso:CreateUsers), with the configured non-administrator role.");

    /// <summary>Every row, for the matrix test and the README's table.</summary>
    public static IReadOnlyList<Operation> All { get; } =
    [
        ListOwnTokens, ListAllTokens, ReadToken, IssueToken, ExchangeToken, RotateToken, RevokeToken, RevokeOwnTokens, SetAllowedAddresses, RevokeLeakedToken,
        ListOwnTokenRequests, ListPendingTokenRequests, DecideTokenRequest, TakeTokenRequest, EnforceTokenPolicy, RevokeIdleTokens,
        ListServiceAccounts, ReadServiceAccount, CreateServiceAccount, ManageServiceAccount, DeleteServiceAccount,
        ReadUsers, CreateUser, UpdateUser, SetUserRole, ResetSecondFactor, EndSessions, DeleteUser,
        ReadSettings, ChangeSettings, ReadExternalValidators, ChangeExternalValidators, ReadAudit,
        ReadOwnNotices, ListOwnPasskeys, AddPasskey, RenamePasskey, RemovePasskey,
        EndSessionsByProvider, CreateUserBySso,
    ];

    public static Operation? Find(string name) => All.FirstOrDefault(o => o.Name == name);

    private static HashSet<ActorKind> Kinds(params ActorKind[] kinds) => [.. kinds];
}
