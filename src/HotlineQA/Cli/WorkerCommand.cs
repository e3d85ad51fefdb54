using System.CommandLine;
using HotlineQA.Pipeline;
using HotlineQA.Storage;
using Microsoft.Extensions.Options;

namespace HotlineQA.Host.Cli;

internal static class WorkerCommand
{
    public static Command Build()
    {
        var workers = new Option<int?>("--workers") { Description = "Hangfire workers in this process (default: Pipeline:Workers, else the CPU count)" };
        var cmd = new Command("worker",
            "Runs pipeline workers only, no web: against the shared PostgreSQL (Storage:Provider=postgres, scale-out) or the embedded SQLite file.")
            { workers };
        cmd.SetAction((pr, ct) => RunAsync(pr.GetValue(workers), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(int? workers, CancellationToken ct)
    {
        if (workers is <= 0) { Console.Error.WriteLine("hotlineqa worker: --workers must be at least 1"); return CliApp.BadUsage; }
        var builder = HostConfiguration.CreateWorkerBuilder(
            [new("Pipeline:Workers", (workers ?? HostConfiguration.Build().GetSection("Pipeline").Get<PipelineOptions>()?.Workers ?? new PipelineOptions().Workers).ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        using var host = builder.Build();
        if (await HostConfiguration.StartOrExplainAsync(host, "worker", ct) is { } failed) return failed;
        var s = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var p = host.Services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        if (!p.RunsSteps)
        {
            await host.StopAsync(CancellationToken.None);
            Console.Error.WriteLine("hotlineqa worker: Pipeline:Workers and Pipeline:TranscribeWorkers are 0; nothing to run");
            return CliApp.BadUsage;
        }
        var where = s.Provider == StorageProviders.Postgres
            ? "PostgreSQL (jobs shared through Hangfire.PostgreSql)"
            : $"SQLite {(string.IsNullOrWhiteSpace(s.ConnectionString) ? Path.GetFullPath(s.SqlitePath) : "(connection string)")} (jobs in memory, recovered from the database on start; picks up calls registered by `ingest` every {p.PickupInterval.TotalSeconds:0.#} s)";
        Console.Error.WriteLine($"hotlineqa worker {Environment.MachineName}:{Environment.ProcessId}: {p.Workers} workers on queue '{PipelineOptions.DefaultQueue}' and {p.HeavyWorkers} on '{PipelineOptions.HeavyQueue}' against {where}; Ctrl+C stops");
        await host.WaitForShutdownAsync(ct);
        return CliApp.Ok;
    }
}
