using Hangfire.PostgreSql;
using HotlineQA.Storage;
using Npgsql;

namespace HotlineQA.Pipeline;

/// <summary>
/// Installs (or upgrades) Hangfire.PostgreSql's tables once per database, serialised on a PostgreSQL advisory lock, so
/// that several workers starting together on an empty database do not race in Hangfire's own installer.
/// </summary>
internal static class HangfireSchema
{
    // Any constant distinct from the migrator's key; "HQA-HF" in ASCII.
    private const long LockKey = 0x4851412D4846;

    public static void Install(string connectionString, string schema) =>
        DbRetry.RunAsync(() =>
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
            return Task.CompletedTask;
        }, CancellationToken.None).GetAwaiter().GetResult();
}
