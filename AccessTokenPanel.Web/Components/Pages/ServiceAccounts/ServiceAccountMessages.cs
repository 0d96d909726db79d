using AccessTokenPanel.Domain;
using AccessTokenPanel.Domain.ServiceAccounts;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Localization;

namespace AccessTokenPanel.Web.Components.Pages.ServiceAccounts;

/// <summary>
/// The service account screens' Domain refusals: the codes they share with tokens ("name-taken",
/// "owner-unknown"...) mean the service account here, so their translations are the
/// <c>service-account.</c> keys of DomainErrorTexts; every other code as <see cref="DomainMessages"/>.
/// </summary>
public static class ServiceAccountMessages
{
    public static string Text(DomainError error) => error.Code switch
    {
        ServiceAccountErrorCodes.NameInvalid => DomainMessages.Text(error with { Code = "service-account.name-invalid" },
            AccessTokenPanel.Domain.ServiceAccounts.ServiceAccounts.NameMaxLength),
        ServiceAccountErrorCodes.NameTaken or ServiceAccountErrorCodes.OwnerUnknown => DomainMessages.Text(error with { Code = "service-account." + error.Code }),
        TokenErrorCodes.RoleUnknown => DomainMessages.Text(error with { Code = "service-account.role-unknown" },
            string.Join(", ", PanelRoles.All.Select(r => r.Name))),
        _ => DomainMessages.Text(error),
    };
}
