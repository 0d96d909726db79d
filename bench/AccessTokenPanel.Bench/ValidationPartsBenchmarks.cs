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
public class ValidationPartsBenchmarks
{
    private BenchApp _app = null!;
    private string _secret = "";
    private byte[] _hash = [];
    private ITokenLookup _lookup = null!;

    [GlobalSetup]
    public void Setup()
    {
        _app = new BenchApp();
        _ = _app.Services;
        _app.SeedAsync().GetAwaiter().GetResult();
        _secret = _app.RestSecret;
        _hash = TokenSecret.Hash(_secret);
        _lookup = _app.Services.GetRequiredService<ITokenLookup>();
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "SHA-256 of the secret")]
    public byte[] Hash() => TokenSecret.Hash(_secret);

    [Benchmark(Description = "the lookup alone (no scope)")]
    public async Task<bool> Lookup() => await _lookup.FindByHashAsync(_hash) is not null;

    [Benchmark(Description = "a new scope and its TokenValidator")]
    public async Task<bool> Scope()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<TokenValidator>() is not null;
    }
}
