using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HotlineQA.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The database (section <c>Storage</c>), its stores, and a hosted service that applies pending migrations on
    /// start. Hosts without a generic host (CLI verbs) call <see cref="Migrator.MigrateAsync"/> themselves.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => HotlineDatabase.FromOptions(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.TryAddSingleton<Migrator>();
        services.TryAddSingleton<CallStore>();
        services.TryAddSingleton<UtteranceStore>();
        services.TryAddSingleton<ScoreStore>();
        services.TryAddSingleton<ReviewStore>();
        services.TryAddSingleton<UserStore>();
        services.TryAddSingleton<AuditStore>();
        services.AddHostedService<MigrationHostedService>();
        return services;
    }

    private sealed class MigrationHostedService(Migrator migrator) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => migrator.MigrateAsync(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
