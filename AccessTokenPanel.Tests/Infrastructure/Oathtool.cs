using System.Diagnostics;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>Debian's oathtool: an independent TOTP implementation to check ours against.</summary>
public static class Oathtool
{
    /// <summary>The TOTP code for a base32 key at the given instant.</summary>
    public static string Totp(string base32Key, DateTimeOffset at)
    {
        var start = new ProcessStartInfo("oathtool")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--totp");
        start.ArgumentList.Add("-b");
        start.ArgumentList.Add("--now");
        start.ArgumentList.Add(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC");
        start.ArgumentList.Add(base32Key.Replace(" ", ""));
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("oathtool could not start: install it with 'apt-get install -y oathtool'.");
        var output = process.StandardOutput.ReadToEnd().Trim();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"oathtool failed ({process.ExitCode}): {error}");
        }
        return output;
    }
}
