using Hangfire;
using Hangfire.PostgreSql;
using HotlineQA.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HotlineQA.Pipeline;

/// <summary>
/// Installs (or upgrades) Hangfire.PostgreSql's tables once per database, serialised on a PostgreSQL advisory lock, so
/// that several workers starting together on an empty database do not race in Hangfire's own installer.
/// </summary>
/// <param name="jobs">Resolved first so that Hangfire's configuration (its log provider among it) is this host's when the installer runs.</param>
internal sealed class HangfireSchema(IOptions<StorageOptions> storage, IOptions<PipelineOptions> pipeline, HotlineDatabase db, JobStorage jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = jobs;
        if (storage.Value.Provider == StorageProviders.Postgres) Install(db.ConnectionString, pipeline.Value.HangfireSchema);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Any constant distinct from the migrator's key; "HQA-HF" in ASCII.
    private const long LockKey = 0x4851412D4846;

    /// <remarks>No retries: a database that cannot be reached at start is reported by the host in one line, at once.</remarks>
    public static void Install(string connectionString, string schema)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        using (var l = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", c)) l.ExecuteNonQuery();
        try
        {
            PostgreSqlObjectsInstaller.Install(c, schema);
        }
        finally
        {
            using var u = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", c);
            u.ExecuteNonQuery();
        }
    }
}
