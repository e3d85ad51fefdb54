using Hangfire;
using Hangfire.PostgreSql;
using HotlineQA.Ingest;
using HotlineQA.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HotlineQA.Pipeline;

public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The pipeline (section <c>Pipeline</c>) on Hangfire: in-memory job storage with SQLite (embedded default),
    /// Hangfire.PostgreSql with PostgreSQL. With <see cref="PipelineOptions.Workers"/> &gt; 0 this process also runs the
    /// Hangfire server and the recovery/sweep service. Needs <c>AddStorage</c> and the engines (<c>AddAudio</c>,
    /// <c>AddTranscription</c>, <c>AddScoring</c>) registered too.
    /// </summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHangfire((sp, cfg) =>
        {
            cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
               .UseSimpleAssemblyNameTypeSerializer()
               .UseRecommendedSerializerSettings();
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (storage.Provider == StorageProviders.Postgres)
            {
                var db = sp.GetRequiredService<HotlineDatabase>();
                cfg.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(db.ConnectionString),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = sp.GetRequiredService<IOptions<PipelineOptions>>().Value.HangfireSchema,
                        PrepareSchemaIfNecessary = true,
                        // A step is seconds to minutes of work: waiting the default 15 s for the next poll would dominate.
                        QueuePollInterval = TimeSpan.FromSeconds(1),
                    });
            }
            else
            {
                cfg.UseInMemoryStorage();
            }
        });
        services.TryAddSingleton<PipelineQueue>();
        services.TryAddSingleton<PipelineRecovery>();
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
        o.ServerName = $"{WorkerIdentity.Current}:{queue}";
        // Short polling so retries and scheduled steps start promptly; the queues themselves are push-based in memory.
        o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        o.ShutdownTimeout = TimeSpan.FromSeconds(15);
    }
}
