using System.Globalization;
using HotlineQA.Host;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotlineQA.IntegrationTests.Pipeline;

/// <summary>The real host the CLI and the web use (storage, engines, Hangfire, recovery, pickup) pointed at a test database.</summary>
internal static class PipelineHost
{
    public static IHost Build(TestDatabase db, int workers, int maxAttempts = 3, int? transcribeWorkers = null, TimeSpan? pickup = null,
        IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(db.StorageSettings)
        {
            ["Pipeline:Workers"] = workers.ToString(CultureInfo.InvariantCulture),
            ["Pipeline:PickupInterval"] = (pickup ?? TimeSpan.FromMilliseconds(300)).ToString("c", CultureInfo.InvariantCulture),
            ["Pipeline:RetryDelay"] = "00:00:01",
            ["Pipeline:MaxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture),
            ["Pipeline:TakeoverAfter"] = "00:01:00",
            ["Pipeline:HangfireSchema"] = "hangfire",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        if (transcribeWorkers is { } t) settings["Pipeline:TranscribeWorkers"] = t.ToString(CultureInfo.InvariantCulture);
        var b = HostConfiguration.CreateWorkerBuilder(settings, LogLevel.Warning);
        return b.Build();
    }

    public static async Task<IReadOnlyList<CallRow>> WaitFinishedAsync(IServiceProvider sp, IEnumerable<long> ids, TimeSpan? timeout = null)
    {
        var calls = sp.GetRequiredService<CallStore>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var rows = new List<CallRow>();
            foreach (var id in ids) rows.Add((await calls.GetAsync(id))!);
            if (rows.All(r => CallStatus.IsFinished(r.Status))) return rows;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("calls not finished: " + string.Join(", ", rows.Where(r => !CallStatus.IsFinished(r.Status)).Select(r => $"#{r.Id} {r.Status} {r.Error}")));
            await Task.Delay(100);
        }
    }
}

/// <summary>A temporary inbox folder of real files (copied from ../shared/data), deleted afterwards.</summary>
internal sealed class TempInbox : IDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "hotlineqa-inbox-" + Guid.NewGuid().ToString("N"));

    public TempInbox() => Directory.CreateDirectory(Dir);

    public string Copy(string sharedRelative, string name)
    {
        var dest = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
        File.Copy(TestPaths.Shared(sharedRelative), dest);
        return dest;
    }

    public string Write(string name, string content)
    {
        var dest = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
        File.WriteAllText(dest, content);
        return dest;
    }

    public void Dispose()
    {
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}
