using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using AccessTokenPanel.Domain.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using AccessTokenPanel.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// The setup code that lets the first Super Administrator be created. It is sealed with the Data
/// Protection keys the instances share, so a link printed by one instance works on every instance
/// behind a balancer; it expires after <see cref="CodeLifetime"/>, and once a user exists the setup page
/// is gone whatever the code.
/// </summary>
public sealed class FirstRunSetup(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromHours(24);

    private const string Purpose = "AccessTokenPanel.FirstRunSetup.v1";
    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    /// <summary>Serializes creation of the first user within this process (the database lock does it across instances).</summary>
    public SemaphoreSlim CreationGate { get; } = new(1, 1);

    /// <summary>Makes a new code (random, sealed with its expiry) and returns it, URL-safe.</summary>
    public string Begin()
    {
        var payload = new byte[24];
        RandomNumberGenerator.Fill(payload.AsSpan(0, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(16), (time.GetUtcNow() + CodeLifetime).ToUnixTimeSeconds());
        return WebEncoders.Base64UrlEncode(_protector.Protect(payload));
    }

    public bool IsValid(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 512)
        {
            return false;
        }
        try
        {
            var payload = _protector.Unprotect(WebEncoders.Base64UrlDecode(code));
            return payload.Length == 24
                && BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(16)) > time.GetUtcNow().ToUnixTimeSeconds();
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
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
                "No user exists yet. Create the first Super Administrator by opening {SetupUrl} (this link works on every instance for 24 hours, until the first administrator exists; restart for a new one).",
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
