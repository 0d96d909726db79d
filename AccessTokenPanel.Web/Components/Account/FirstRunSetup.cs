using System.Security.Cryptography;
using System.Text;
using AccessTokenPanel.Domain.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// The one-time setup code that lets the first Super Administrator be created. It lives only in
/// this process's memory and is printed to the log; once a user exists it no longer matters.
/// </summary>
public sealed class FirstRunSetup
{
    private readonly Lock _lock = new();
    private byte[]? _code;

    /// <summary>Serializes creation of the first user, so two requests cannot both create one.</summary>
    public SemaphoreSlim CreationGate { get; } = new(1, 1);

    /// <summary>Makes a new random code (128 bits, hex) and returns it.</summary>
    public string Begin()
    {
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (_lock)
        {
            _code = Encoding.ASCII.GetBytes(code);
        }
        return code;
    }

    public bool IsValid(string? code)
    {
        byte[]? expected;
        lock (_lock)
        {
            expected = _code;
        }
        return expected is not null && code is not null
            && CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(code));
    }

    public void Complete()
    {
        lock (_lock)
        {
            _code = null;
        }
    }
}

/// <summary>At start, when the database has no user, makes a setup code and logs the setup URL.</summary>
internal sealed class FirstRunSetupAnnouncer(
    IServiceProvider services, FirstRunSetup setup, IServer server, IHostApplicationLifetime lifetime,
    IOptions<PublicOriginOptions> origin, ILogger<FirstRunSetup> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PanelDbContext>();
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }
        var code = setup.Begin();
        // The server's addresses are known only once it listens.
        lifetime.ApplicationStarted.Register(() =>
        {
            var path = $"{AccountPaths.Setup}?code={code}";
            // The operator's public address when set, else where this process listens.
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            var url = origin.Value.PublicBaseUri is { } publicBase
                ? publicBase.GetLeftPart(UriPartial.Authority) + path
                : address is null ? path : PublicBase(address) + path;
            logger.LogWarning(
                "No user exists yet. Create the first Super Administrator by opening {SetupUrl} (this link works once, until this process stops).",
                url);
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string PublicBase(string address)
    {
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }
        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }
}
