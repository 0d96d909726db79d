namespace AccessTokenPanel.Domain.Tokens;

public static class TokenErrorCodes
{
    public const string NameRequired = "name-required";
    public const string NameTooLong = "name-too-long";
    public const string NameTaken = "name-taken";
    public const string ApiUnknown = "api-unknown";
    public const string ApiDisabled = "api-disabled";
    public const string ApiNotPermitted = "api-not-permitted";
    public const string RoleRequired = "role-required";
    public const string RoleNotApplicable = "role-not-applicable";
    public const string RoleUnknown = "role-unknown";
    public const string RoleNotDelegable = "role-not-delegable";
    public const string ExpiryRequired = "expiry-required";
    public const string DaysOutOfRange = "days-out-of-range";
    public const string DateInPast = "date-in-past";
    public const string ExpiryBeyondMaximum = "expiry-beyond-maximum";
    public const string OwnerUnknown = "owner-unknown";
    public const string OwnerDisabled = "owner-disabled";
    public const string TokenNotFound = "token-not-found";
    public const string TokenNotRotatable = "token-not-rotatable";
    public const string OwnerOutranksActor = "owner-outranks-actor";
    public const string OverlapOutOfRange = "overlap-out-of-range";
    public const string AddressInvalid = "address-invalid";
    public const string TooManyAddresses = "too-many-addresses";
    /// <summary>The token policy does not let this owner create tokens of this API.</summary>
    public const string CreatorNotAllowed = "creator-not-allowed";
    /// <summary>The token policy requires allowed client addresses for this API.</summary>
    public const string AddressesRequired = "addresses-required";
}

public static class TokenFields
{
    public const string Name = "Name";
    public const string Api = "Api";
    public const string Role = "DelegatedRole";
    public const string Days = "Days";
    public const string Date = "ExpirationDate";
    public const string Owner = "Owner";
    public const string Token = "Token";
    public const string Overlap = "OverlapMinutes";
    public const string AllowedAddresses = "AllowedAddresses";
}
