using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using HotlineQA.Ingest;
using HotlineQA.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineQA.Pipeline;

public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The pipeline (section <c>Pipeline</c>) on Hangfire: in-memory job storage with SQLite (embedded default; recovered from the calls table on start),
    /// Hangfire.PostgreSql with PostgreSQL. With <see cref="PipelineOptions.Workers"/> &gt; 0 this process also runs the
    /// Hangfire server and the recovery/pickup service. Needs <c>AddStorage</c> and the engines (<c>AddAudio</c>,
    /// <c>AddTranscription</c>, <c>AddScoring</c>) registered too.
    /// </summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHangfire((sp, cfg) =>
        {
            var pipeline = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            // Hangfire's log provider is process-wide: a second host in the same process (the tests run several) replaces
            // it, and when that host is disposed its logger factory goes with it — Hangfire then fails to create a client
            // ("Cannot access a disposed object: LoggerFactory") in the host still running. A logger that cannot be had
            // any more is a silent one, never a failed request.
            if (sp.GetService<ILoggerFactory>() is { } loggers) cfg.UseLogProvider(new DisposalSafeLogProvider(new AspNetCoreLogProvider(loggers)));
            cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
               .UseSimpleAssemblyNameTypeSerializer()
               .UseRecommendedSerializerSettings();
            // Hangfire owns the retries: Pipeline:MaxAttempts tries in all, Pipeline:RetryDelay apart, never for a
            // step that failed for good (bad input; the call is already failed with its reason).
            cfg.UseFilter(new AutomaticRetryAttribute
            {
                Attempts = pipeline.MaxAttempts - 1,
                DelaysInSeconds = [Math.Max(1, (int)Math.Ceiling(pipeline.RetryDelay.TotalSeconds))],
                ExceptOn = [typeof(StepFailedException)],
                OnAttemptsExceeded = AttemptsExceededAction.Fail,
            });
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (storage.Provider == StorageProviders.Postgres)
            {
                var db = sp.GetRequiredService<HotlineDatabase>();
                cfg.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(db.ConnectionString),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = pipeline.HangfireSchema,
                        // Installed on start by HangfireSchema under our own advisory lock: several workers starting on
                        // an empty database would otherwise race in Hangfire's installer.
                        PrepareSchemaIfNecessary = false,
                        // A step is seconds to minutes of work: waiting the default 15 s for the next poll would dominate.
                        QueuePollInterval = TimeSpan.FromSeconds(1),
                        // A dead worker's job becomes visible again after TakeoverAfter; a live worker keeps it invisible
                        // however long the step runs (sliding), so a long transcription is not taken from under it.
                        InvisibilityTimeout = pipeline.TakeoverAfter,
                        UseSlidingInvisibilityTimeout = true,
                        DistributedLockTimeout = pipeline.TakeoverAfter,
                    });
            }
            else
            {
                cfg.UseInMemoryStorage();
            }
        });
        // Before the Hangfire servers (hosted services start in registration order) and any enqueue of this host.
        services.AddHostedService<HangfireSchema>();
        // The default AutomaticRetry (10 tries, every exception) would otherwise apply next to ours.
        GlobalJobFilters.Filters.Remove(typeof(AutomaticRetryAttribute));
        services.TryAddSingleton<PipelineQueue>();
        services.TryAddSingleton<PipelineRecovery>();
        services.TryAddSingleton<PcmScratch>();
        services.TryAddTransient<StepRunner>();
        services.TryAddTransient<AudioJob>();
        services.TryAddTransient<TranscribeJob>();
        services.TryAddTransient<ScoreJob>();
        services.TryAddSingleton<Ingestor>();

        services.AddOptions<BatchOptions>().Bind(configuration.GetSection(BatchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<BatchStore>();
        services.TryAddSingleton<BatchRunner>();
        services.TryAddTransient<BatchJob>();

        var pipeline = configuration.GetSection(PipelineOptions.Section).Get<PipelineOptions>() ?? new PipelineOptions();
        if (pipeline.RunsSteps)
        {
            // One Hangfire server per queue so that each has its own worker count: a machine can give the heavy
            // transcription queue few workers (or all of them) without starving audio and scoring.
            if (pipeline.Workers > 0)
                services.AddHangfireServer((sp, o) => Configure(o, PipelineOptions.DefaultQueue, sp.GetRequiredService<IOptions<PipelineOptions>>().Value.Workers));
            if (pipeline.HeavyWorkers > 0)
                services.AddHangfireServer((sp, o) => Configure(o, PipelineOptions.HeavyQueue, sp.GetRequiredService<IOptions<PipelineOptions>>().Value.HeavyWorkers));
            services.AddHostedService<PipelineHostedService>();
        }
        return services;
    }

    private static void Configure(BackgroundJobServerOptions o, string queue, int workers)
    {
        o.WorkerCount = workers;
        o.Queues = [queue];
        o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{queue}";
        // Short polling so retries and scheduled steps start promptly; the queues themselves are push-based in memory.
        o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        o.ShutdownTimeout = TimeSpan.FromSeconds(15);
    }
}
