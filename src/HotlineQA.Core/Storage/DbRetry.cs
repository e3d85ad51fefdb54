using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HotlineQA.Storage;

/// <summary>
/// Retries a database call across a lost connection (PostgreSQL restarted, backend terminated, network blip) or a
/// busy SQLite file, with exponential backoff, so a worker rides out a server restart instead of failing calls.
/// </summary>
public static class DbRetry
{
    /// <summary>How long in total a call keeps retrying before the error is let through.</summary>
    public static TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(90);

    public static bool IsTransient(Exception e) => e switch
    {
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or SocketException or TimeoutException
                             || n is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" or "40001" or "40P01" },
        SqliteException s => s.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        DbException d => d.IsTransient,
        IOException or SocketException => true,
        // Libraries wrap the driver's error (Hangfire's BackgroundJobClientException, AggregateException).
        { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    public static async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct, TimeProvider? clock = null)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var start = (clock ?? TimeProvider.System).GetTimestamp();
        while (true)
        {
            try
            {
                return await work();
            }
            catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested
                                      && (clock ?? TimeProvider.System).GetElapsedTime(start) < Budget)
            {
                // A broken connection returned to the pool would fail again: drop the pool's idle connections.
                if (e is NpgsqlException) NpgsqlConnection.ClearAllPools();
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }
    }

    public static Task RunAsync(Func<Task> work, CancellationToken ct) =>
        RunAsync(async () => { await work(); return true; }, ct);
}
