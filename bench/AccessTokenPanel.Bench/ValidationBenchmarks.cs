using System.Net;
using AccessTokenPanel.Domain.Tokens;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Bench;

/// <summary>
/// In-process validations of a valid REST token, each in its own DI scope (a fresh DbContext, as
/// per request): the format/checksum gate alone, the validator's indexed lookup, and what the
/// bearer handler does in total (lookup plus the owner's current permissions).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ValidationBenchmarks : SeededAppBenchmarks
{
    [Benchmark(Description = "format + checksum only")]
    public TokenFormatCheck FormatAndChecksum() => TokenSecret.Check(Secret, out _);

    [Benchmark(Description = "TokenValidator.ValidateAsync (new scope)")]
    public async Task<bool> Validate()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenValidator>().ValidateAsync(Secret, ApiType.Rest);
        return result.IsValid ? true : throw new InvalidOperationException(result.Description);
    }

    [Benchmark(Description = "allowlisted token: ValidateAsync with 3 allowed networks (new scope)")]
    public async Task<bool> ValidateWithAllowedAddresses()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<TokenValidator>()
            .ValidateAsync(App.FencedSecret, ApiType.Rest, clientAddress: IPAddress.Loopback);
        return result.IsValid ? true : throw new InvalidOperationException(result.Description);
    }

    [Benchmark(Description = "validate + owner permissions (bearer handler's work)")]
    public async Task<int> ValidateAndResolvePermissions()
    {
        await using var scope = App.Services.CreateAsyncScope();
        // One statement since the owner's roles come with the token's row (before: a second, EF-built query).
        var result = await scope.ServiceProvider.GetRequiredService<TokenValidator>().ValidateAsync(Secret, ApiType.Rest);
        return result.IsValid ? result.OwnerPermissions.Count : throw new InvalidOperationException(result.Description);
    }
}
