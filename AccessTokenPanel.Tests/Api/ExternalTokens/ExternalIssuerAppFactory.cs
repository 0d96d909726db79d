using AccessTokenPanel.Domain.ExternalTokens;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Api.ExternalTokens;

/// <summary>
/// The app as in Development for the issuer's URLs: <see cref="FakeIssuer"/> serves plain http on
/// loopback, which the panel trusts only in the Development environment (the tests run in Testing;
/// <see cref="ExternalTokenUrlRuleTests"/> shows the rule there).
/// </summary>
public class ExternalIssuerAppFactory : ApiAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.PostConfigure<ExternalIssuerUrlOptions>(options => options.AllowLoopbackHttp = true));
    }
}
