using System.Diagnostics;
using System.Text.Json;
using HotlineQA.IntegrationTests.Pipeline;
using HotlineQA.TestSupport.Databases;

namespace HotlineQA.IntegrationTests.Ingest;

/// <summary>`hotlineqa ingest` as a script runs it: the real executable, configured through HOTLINEQA_ variables, on the embedded default.</summary>
[Collection("pipeline")]
public class IngestCommandTests
{
    private static Task<(int Code, string Out, string Err)> RunAsync(string workDir, IDictionary<string, string> env, params string[] args) =>
        HotlineqaCli.RunAsync(workDir, env, TimeSpan.FromSeconds(120), args);

    [Fact]
    public async Task Ingest_ShouldRegisterThenReportEachCallsEnd_WhenRunTwiceWithWaitOnTheEmbeddedDefault()
    {
        using var inbox = new TempInbox();
        inbox.Copy("data/silero-vad/test.wav", "in/a.wav");
        inbox.Copy("data/transcripts-dev/broadband-repair-perfunctory-apology.transcript.json", "in/a.transcript.json");
        inbox.Write("in/empty.wav", "");
        var dbFile = Path.Combine(inbox.Dir, "state", "q.db");
        var env = new Dictionary<string, string> { ["HOTLINEQA_Storage__SqlitePath"] = dbFile, ["HOTLINEQA_Pipeline__Workers"] = "2" };

        var plain = await RunAsync(inbox.Dir, env, "ingest", "in");
        var waited = await RunAsync(inbox.Dir, env, "ingest", "in", "--wait", "--format", "json");

        Assert.True(plain.Code == 0, plain.Err);
        Assert.StartsWith("2 new, 0 duplicate, 0 rejected", plain.Out);
        Assert.True(File.Exists(dbFile));
        Assert.True(waited.Code == 0, waited.Err);
        using var doc = JsonDocument.Parse(waited.Out);
        Assert.Equal(0, doc.RootElement.GetProperty("new").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("duplicate").GetInt32());
        var calls = doc.RootElement.GetProperty("calls").EnumerateArray().ToDictionary(c => Path.GetFileName(c.GetProperty("path").GetString()!));
        Assert.Equal("scored", calls["a.wav"].GetProperty("status").GetString());
        Assert.True(calls["a.wav"].GetProperty("sidecar").GetBoolean());
        Assert.Equal("failed", calls["empty.wav"].GetProperty("status").GetString());
        Assert.EndsWith("empty.wav: the file is empty (0 bytes)", calls["empty.wav"].GetProperty("error").GetString());
    }

    [Fact]
    public async Task Rescore_ShouldScoreStoredCallsUnderTheNewRubricVersionAndAuditIt_WhenGivenAnEditedRubric()
    {
        using var inbox = new TempInbox();
        inbox.Copy("data/silero-vad/test.wav", "in/r.wav");
        inbox.Copy("data/transcripts-dev/mobile-signal-complaint-overpromise.transcript.json", "in/r.transcript.json");
        var yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src/HotlineQA.Core/Scoring/Rubrics/default.yaml"))
            .Replace("version: \"2026.39\"", "version: \"2026.39-site\"", StringComparison.Ordinal);
        var rubric = inbox.Write("site-rubric.yaml", yaml);
        var dbFile = Path.Combine(inbox.Dir, "state", "r.db");
        var env = new Dictionary<string, string> { ["HOTLINEQA_Storage__SqlitePath"] = dbFile, ["HOTLINEQA_Pipeline__Workers"] = "2" };

        var ingested = await RunAsync(inbox.Dir, env, "ingest", "in", "--wait");
        var rescored = await RunAsync(inbox.Dir, env, "rescore", "--rubric", rubric);
        var broken = await RunAsync(inbox.Dir, env, "rescore", "--rubric", inbox.Write("broken.yaml", "version: [unclosed"));

        Assert.True(ingested.Code == 0, ingested.Err);
        Assert.True(rescored.Code == 0, rescored.Err);
        Assert.StartsWith("rescored 1 calls under rubric 2026.39-site", rescored.Out);
        Assert.Equal(1, broken.Code);
        Assert.Contains("broken.yaml", broken.Err);
        var db = new HotlineQA.Storage.HotlineDatabase(HotlineQA.Storage.SqlDialect.Sqlite, $"Data Source={dbFile}");
        await using var c = await db.OpenAsync();
        var versions = (await Dapper.SqlMapper.QueryAsync<string>(c, "SELECT rubric_version FROM scores ORDER BY rubric_version")).ToList();
        Assert.Equal(["2026.39", "2026.39-site"], versions);
        Assert.Equal(1, await Dapper.SqlMapper.ExecuteScalarAsync<int>(c, "SELECT COUNT(*) FROM audit_log WHERE action = 'rubric.rescore' AND subject = 'rubric:2026.39-site'"));
    }

    [Fact]
    public async Task Ingest_ShouldExitWithBadInput_WhenThePathDoesNotExist()
    {
        using var inbox = new TempInbox();
        var env = new Dictionary<string, string> { ["HOTLINEQA_Storage__SqlitePath"] = Path.Combine(inbox.Dir, "q.db") };

        var r = await RunAsync(inbox.Dir, env, "ingest", "missing-folder");

        Assert.Equal(1, r.Code);
        Assert.Contains("missing-folder: no such file or folder", r.Err);
    }

    [Fact]
    public async Task Worker_ShouldProcessCallsRegisteredInPostgres_WhenRunAsASeparateProcess()
    {
        await using var db = await TestDatabase.CreateAsync(HotlineQA.Storage.SqlDialect.Postgres);
        using var inbox = new TempInbox();
        var wav = inbox.Copy("data/silero-vad/aepyx_8k.wav", "w.wav");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = inbox.Dir };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hotlineqa.dll"));
        psi.ArgumentList.Add("worker");
        psi.Environment["HOTLINEQA_Storage__Provider"] = "postgres";
        psi.Environment["HOTLINEQA_Storage__ConnectionString"] = db.ConnectionString;
        psi.Environment["HOTLINEQA_Pipeline__PickupInterval"] = "00:00:00.500";
        using var worker = Process.Start(psi)!;
        var err = new System.Text.StringBuilder();
        worker.ErrorDataReceived += (_, e) => { lock (err) err.AppendLine(e.Data); };
        worker.BeginErrorReadLine();
        worker.BeginOutputReadLine();
        try
        {
            // Registered the way `hotlineqa ingest` does it from another machine: a row, no job.
            var report = await new HotlineQA.Ingest.Ingestor(new HotlineQA.Storage.CallStore(db.Db, TimeProvider.System),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<HotlineQA.Ingest.Ingestor>.Instance).IngestAsync(wav);
            var calls = new HotlineQA.Storage.CallStore(db.Db, TimeProvider.System);
            var id = report.Items[0].CallId!.Value;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            HotlineQA.Storage.CallRow? row;
            while ((row = await calls.GetAsync(id))!.Status != "failed" && DateTime.UtcNow < deadline && !worker.HasExited) await Task.Delay(200);

            Assert.False(worker.HasExited, "the worker exited early: " + err);
            Assert.Equal("failed", row.Status);
            Assert.StartsWith("no transcript and no Whisper model at ", row.Error); // audio analysed; no sidecar, no weights
            lock (err) Assert.Contains("against PostgreSQL", err.ToString());
        }
        finally
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("ingest", "postgres", "Host=127.0.0.1;Port=1;Username=x;Password=y", 1, "hotlineqa ingest: cannot use the database (postgres): Failed to connect")]
    [InlineData("worker", "postgres", "", 1, "hotlineqa worker: cannot use the database (postgres): Storage:ConnectionString is required")]
    [InlineData("ingest", "mysql", "", 2, "hotlineqa ingest: bad configuration:")]
    public async Task Verb_ShouldExplainInOneLine_WhenTheDatabaseSettingsAreUnusable(string verb, string provider, string connectionString, int code, string message)
    {
        using var inbox = new TempInbox();
        inbox.Write("in/x.wav", "x");
        var env = new Dictionary<string, string> { ["HOTLINEQA_Storage__Provider"] = provider, ["HOTLINEQA_Storage__ConnectionString"] = connectionString };

        var r = await RunAsync(inbox.Dir, env, verb == "ingest" ? ["ingest", "in"] : ["worker"]);

        Assert.Equal(code, r.Code);
        Assert.StartsWith(message, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public async Task Serve_ShouldExplainInOneLine_WhenTheAddressIsInUseOrTheDatabaseUnusable()
    {
        using var inbox = new TempInbox();
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        var env = new Dictionary<string, string> { ["HOTLINEQA_Storage__SqlitePath"] = Path.Combine(inbox.Dir, "s.db") };

        var inUse = await RunAsync(inbox.Dir, env, "serve", "--urls", $"http://127.0.0.1:{port}");
        var noDb = await RunAsync(inbox.Dir, new Dictionary<string, string> { ["HOTLINEQA_Storage__Provider"] = "postgres", ["HOTLINEQA_Storage__ConnectionString"] = "Host=127.0.0.1;Port=1;Username=x;Password=y" },
            "serve", "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, inUse.Code);
        Assert.StartsWith("hotlineqa serve: ", inUse.Err);
        Assert.Contains("choose another address with --urls", inUse.Err);
        Assert.Equal(1, noDb.Code);
        Assert.StartsWith("hotlineqa serve: cannot use the database (postgres)", noDb.Err);
        Assert.DoesNotContain("   at ", inUse.Err + noDb.Err);
    }

    [Fact]
    public async Task Worker_ShouldExitWithBadUsage_WhenWorkersIsZero()
    {
        using var inbox = new TempInbox();
        var env = new Dictionary<string, string> { ["HOTLINEQA_Storage__SqlitePath"] = Path.Combine(inbox.Dir, "q.db") };

        var r = await RunAsync(inbox.Dir, env, "worker", "--workers", "0");

        Assert.Equal(2, r.Code);
        Assert.Contains("--workers must be at least 1", r.Err);
    }
}
