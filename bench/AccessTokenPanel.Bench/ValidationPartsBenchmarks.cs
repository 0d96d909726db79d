using AccessTokenPanel.Domain.Tokens;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Bench;

/// <summary>
/// Where a validation's time goes (<c>validate-parts</c>, not run by bench/run.sh): the secret's
/// hash, the lookup alone (the provider's <see cref="ITokenLookup"/>, no scope), and a request
/// scope with its validator.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ValidationPartsBenchmarks : SeededAppBenchmarks
{
    private byte[] _hash = [];
    private ITokenLookup _lookup = null!;

    protected override void Seeded()
    {
        _hash = TokenSecret.Hash(Secret);
        _lookup = App.Services.GetRequiredService<ITokenLookup>();
    }

    [Benchmark(Description = "SHA-256 of the secret")]
    public byte[] Hash() => TokenSecret.Hash(Secret);

    [Benchmark(Description = "the lookup alone (no scope)")]
    public async Task<bool> Lookup() => await _lookup.FindByHashAsync(_hash) is not null;

    [Benchmark(Description = "a new scope and its TokenValidator")]
    public async Task<bool> Scope()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<TokenValidator>() is not null;
    }
}
