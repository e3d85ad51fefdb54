using Microsoft.Extensions.Configuration;

namespace HotlineQA.Host.Web;

/// <summary>Where every role of the host reads its settings: appsettings.json beside the working directory, then
/// environment variables <c>HOTLINEQA_&lt;Section&gt;__&lt;Key&gt;</c>, then values the caller sets (CLI options, tests).</summary>
public static class HostConfiguration
{
    public const string EnvPrefix = "HOTLINEQA_";

    public static IConfigurationBuilder Apply(IConfigurationBuilder config, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        config.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        config.AddEnvironmentVariables(EnvPrefix);
        if (overrides is { Count: > 0 }) config.AddInMemoryCollection(overrides);
        return config;
    }
}
