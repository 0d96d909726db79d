using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Hosting;

internal static class IdentitySetup
{
    public static IServiceCollection AddPanelIdentity(this IServiceCollection services)
    {
        services.AddAuthentication();
        services.AddAuthorization();
        services.AddIdentityCore<PanelUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PanelDbContext>();
        return services;
    }
}
