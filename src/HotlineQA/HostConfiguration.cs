using HotlineQA.Audio;
using HotlineQA.Classification;
using HotlineQA.Pipeline;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.Transcription;
using Microsoft.Extensions.Options;

namespace HotlineQA.Host;

/// <summary>
/// The one place where every host (CLI verbs, <c>serve</c>, <c>worker</c>) gets its configuration and services:
/// <c>appsettings.json</c> beside the executable, then in the working directory, then environment variables with
/// the <c>HOTLINEQA_</c> prefix (<c>HOTLINEQA_Storage__Provider=postgres</c>), later sources winning.
/// </summary>
public static class HostConfiguration
{
    public const string EnvironmentPrefix = "HOTLINEQA_";

    public static IConfigurationBuilder AddHotlineQA(this IConfigurationBuilder builder)
    {
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        builder.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        return builder;
    }

    /// <summary>The configuration alone, for verbs that need no host; <paramref name="overrides"/> (tests, options) win.</summary>
    public static IConfigurationRoot Build(IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var b = new ConfigurationBuilder().AddHotlineQA();
        if (overrides is not null) b.AddInMemoryCollection(overrides);
        return b.Build();
    }

    /// <summary>Storage, the engines and the pipeline: everything a host that processes calls needs.</summary>
    public static IServiceCollection AddHotlineQA(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddStorage(configuration)
            .AddAudio(configuration)
            .AddTranscription(configuration)
            .AddClassification(configuration)
            .AddScoring(configuration)
            .AddPipeline(configuration);

    /// <summary>A generic host (no web) with our configuration and terse console logs; used by <c>worker</c> and <c>ingest --wait</c>.</summary>
    public static HostApplicationBuilder CreateWorkerBuilder(IEnumerable<KeyValuePair<string, string?>>? overrides = null, LogLevel minimum = LogLevel.Information)
    {
        var b = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });
        b.Configuration.AddHotlineQA();
        if (overrides is not null) b.Configuration.AddInMemoryCollection(overrides);
        b.Logging.AddConfiguration(b.Configuration.GetSection("Logging"));
        b.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        LogToStandardError(b.Services);
        b.Logging.SetMinimumLevel(minimum);
        // Hangfire narrates every server start/stop at Information; keep the console for our own lines.
        b.Logging.AddFilter("Hangfire", LogLevel.Warning);
        // A failed start is explained by StartOrExplainAsync in one line; the host's own stack-trace log adds nothing.
        b.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        b.Services.AddHotlineQA(b.Configuration);
        return b;
    }

    /// <summary>Every console log line goes to stderr: stdout carries only a verb's answer (one JSON document with
    /// <c>--format json</c>), so it can be piped into a program.</summary>
    public static IServiceCollection LogToStandardError(IServiceCollection services) =>
        services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

    /// <summary>
    /// Starts the host (a worker or the web host); when the configuration, the database or the listening address is
    /// unusable, prints one readable line and returns the exit code (2 for a bad setting, 1 for a database that cannot
    /// be opened or an address in use) instead of a stack trace.
    /// </summary>
    public static async Task<int?> StartOrExplainAsync(IHost host, string verb, CancellationToken ct)
    {
        try
        {
            await host.StartAsync(ct);
            return null;
        }
        catch (IOException e)
        {
            // Kestrel: the address is in use or cannot be bound.
            Console.Error.WriteLine($"hotlineqa {verb}: {e.Message} (choose another address with --urls)");
            return Cli.CliApp.BadInput;
        }
        catch (OptionsValidationException e)
        {
            Console.Error.WriteLine($"hotlineqa {verb}: bad configuration: {string.Join("; ", e.Failures)}");
            return Cli.CliApp.BadUsage;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            var db = host.Services.GetService<IOptions<StorageOptions>>();
            var where = db is null ? "" : $" ({db.Value.Provider})";
            Console.Error.WriteLine($"hotlineqa {verb}: cannot use the database{where}: {e.Message}");
            return Cli.CliApp.BadInput;
        }
    }
}
