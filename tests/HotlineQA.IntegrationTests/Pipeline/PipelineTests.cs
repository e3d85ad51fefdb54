using Hangfire;
using Hangfire.Storage.Monitoring;
using HotlineQA.Common;
using HotlineQA.Ingest;
using HotlineQA.Pipeline;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotlineQA.IntegrationTests.Pipeline;

[CollectionDefinition("pipeline", DisableParallelization = true)]
public sealed class PipelineCollection;

/// <summary>
/// The whole pipeline on the real host (Hangfire server, recovery, pickup) and each step against real rows, with the
/// real engines: FFmpeg + Silero for audio, sidecar transcripts (no Whisper weights here), the rubric scorer.
/// </summary>
[Collection("pipeline")]
public class PipelineTests
{
    private const string Sidecar = "data/transcripts-dev/broadband-repair-perfunctory-apology.transcript.json";
    private const int SidecarUtterances = 13;
    private const string NoModel = "no transcript and no Whisper model at ";

    public static TheoryData<SqlDialect> Dialects => new() { SqlDialect.Sqlite, SqlDialect.Postgres };

    [Theory, MemberData(nameof(Dialects))]
    public async Task Pipeline_ShouldScoreGoodCallsAndFailBadOnesWithAReason_WhenABatchMixesGoodEmptyAndNonAudioFiles(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var inbox = new TempInbox();
        inbox.Copy("data/silero-vad/test.wav", "good.wav");
        inbox.Copy(Sidecar, "good.transcript.json");
        inbox.Copy("data/silero-vad/aepyx_8k.wav", "other.wav");
        inbox.Write("empty.wav", "");
        inbox.Write("notes.wav", "this is not audio");
        using var host = PipelineHost.Build(db, workers: 2);
        await host.StartAsync();

        var report = await host.Services.GetRequiredService<Ingestor>().IngestAsync(inbox.Dir);
        var rows = await PipelineHost.WaitFinishedAsync(host.Services, report.Items.Select(i => i.CallId!.Value));
        await host.StopAsync();

        Assert.Equal(4, report.New);
        var good = rows.Single(r => r.CallKey == "good");
        Assert.Equal(CallStatus.Scored, good.Status);
        Assert.Null(good.Error);
        Assert.NotNull(await host.Services.GetRequiredService<ScoreStore>().GetCurrentAsync(good.Id));
        Assert.Equal(CallStatus.Failed, rows.Single(r => r.CallKey == "other").Status);
        Assert.StartsWith(NoModel, rows.Single(r => r.CallKey == "other").Error); // real audio, but no sidecar and no Whisper weights
        Assert.Equal($"{Path.Combine(inbox.Dir, "empty.wav")}: the file is empty (0 bytes)", rows.Single(r => r.CallKey == "empty").Error);
        var notes = rows.Single(r => r.CallKey == "notes");
        Assert.Equal(CallStatus.Failed, notes.Status);
        Assert.Contains("notes.wav", notes.Error);
        // Bad input is not retried.
        Assert.All(rows.Where(r => r.Status == CallStatus.Failed && !r.Error!.StartsWith(NoModel, StringComparison.Ordinal)), r => Assert.Equal(1, r.Attempts));
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task TranscribeJob_ShouldFailWithTheMissingModelReason_WhenThereIsNoSidecarAndNoWhisperModel(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var host = PipelineHost.Build(db, workers: 0);
        await host.StartAsync();
        var calls = host.Services.GetRequiredService<CallStore>();
        var id = await RegisterAtAsync(calls, CallStatus.Transcribing, sidecar: null);

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => host.Services.GetRequiredService<TranscribeJob>().RunAsync(id, CancellationToken.None));

        var row = await calls.GetAsync(id);
        var model = host.Services.GetRequiredService<HotlineQA.Transcription.WhisperTranscriber>().ModelFolder; // Whisper:ModelPath, one setting
        Assert.Equal(CallStatus.Failed, row!.Status);
        Assert.Equal(row.Error, failed.Message); // the job fails in Hangfire with the call's reason
        Assert.StartsWith($"no transcript and no Whisper model at {model}; run `hotlineqa models pull whisper-base`", row.Error);
        Assert.Equal(1, row.Attempts);
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task TranscribeJob_ShouldStoreTheSidecarOnceAndMoveOn_WhenRunTwice(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var inbox = new TempInbox();
        var sidecar = inbox.Copy(Sidecar, "call.transcript.json");
        using var host = PipelineHost.Build(db, workers: 0);
        await host.StartAsync();
        var calls = host.Services.GetRequiredService<CallStore>();
        var utterances = host.Services.GetRequiredService<UtteranceStore>();
        var job = host.Services.GetRequiredService<TranscribeJob>();
        var id = await RegisterAtAsync(calls, CallStatus.Transcribing, sidecar);

        Assert.Equal(CallStatus.Scoring, await job.RunAsync(id, CancellationToken.None));
        Assert.Null(await job.RunAsync(id, CancellationToken.None)); // already moved on: a duplicate job is a no-op
        await calls.ResetAsync(id, CallStatus.Transcribing);
        Assert.Equal(CallStatus.Scoring, await job.RunAsync(id, CancellationToken.None));

        var rows = await utterances.ListAsync(id);
        var expected = HotlineQA.Transcription.Transcript.Load(sidecar);
        Assert.Equal(SidecarUtterances, rows.Count);
        Assert.Equal(Enumerable.Range(0, SidecarUtterances), rows.Select(r => r.Idx));
        Assert.Equal(expected.Utterances.Select(u => u.Text), rows.Select(r => r.Text));
        Assert.Equal(expected.Utterances.Select(u => u.Speaker), rows.Select(r => r.Speaker));
        var call = await calls.GetAsync(id);
        Assert.Equal(CallStatus.Scoring, call!.Status);
        Assert.Equal(61.13, call.DurationSec);
        Assert.Equal(2, call.Channels);
        Assert.Equal(0, call.Attempts);
        Assert.NotNull(call.QueuedAt);
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task ScoreJob_ShouldStoreOneScoreWithEveryRubricItem_WhenRunTwice(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var inbox = new TempInbox();
        var sidecar = inbox.Copy(Sidecar, "call.transcript.json");
        using var host = PipelineHost.Build(db, workers: 0);
        await host.StartAsync();
        var calls = host.Services.GetRequiredService<CallStore>();
        var id = await RegisterAtAsync(calls, CallStatus.Transcribing, sidecar);
        await host.Services.GetRequiredService<TranscribeJob>().RunAsync(id, CancellationToken.None);

        var status = await host.Services.GetRequiredService<ScoreJob>().RunAsync(id, CancellationToken.None);
        var again = await host.Services.GetRequiredService<ScoreJob>().RunAsync(id, CancellationToken.None);

        var row = await calls.GetAsync(id);
        Assert.Equal(CallStatus.Scored, status);
        Assert.Null(again); // already scored: a duplicate job is a no-op
        Assert.Equal(CallStatus.Scored, row!.Status);
        Assert.Equal(SidecarUtterances, (await host.Services.GetRequiredService<UtteranceStore>().ListAsync(id)).Count);
        var scores = host.Services.GetRequiredService<ScoreStore>();
        var score = Assert.Single(await scores.ListForCallAsync(id));
        Assert.True(score.Flagged); // the perfunctory-apology call of the dev set
        var findings = await scores.ListFindingsAsync(score.Id);
        Assert.Equal(20, findings.Count(f => f.Result != "fire")); // every item of RUBRIC.md A–D exactly once
        Assert.Equal("fail", findings.Single(f => f.Item == "APOLOGY").Result);
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task TranscribeJob_ShouldFailAtOnceNamingTheFile_WhenTheSidecarIsMalformed(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var inbox = new TempInbox();
        var sidecar = inbox.Write("bad.transcript.json", """{ "utterances": [ { "speaker": "boss", "start": 1, "end": 2, "text": "x" } ] }""");
        using var host = PipelineHost.Build(db, workers: 0);
        await host.StartAsync();
        var calls = host.Services.GetRequiredService<CallStore>();
        var id = await RegisterAtAsync(calls, CallStatus.Transcribing, sidecar);

        await Assert.ThrowsAsync<StepFailedException>(() => host.Services.GetRequiredService<TranscribeJob>().RunAsync(id, CancellationToken.None));

        var row = await calls.GetAsync(id);
        Assert.Equal(CallStatus.Failed, row!.Status);
        Assert.Equal($"{sidecar}: utterance 0 has speaker 'boss'; expected agent, customer or unknown", row.Error);
        Assert.Equal(1, row.Attempts);
        Assert.Empty(await host.Services.GetRequiredService<UtteranceStore>().ListAsync(id));
    }

    [Fact]
    public async Task Recovery_ShouldQueueAndFinishCalls_WhenTheEmbeddedDefaultsJobsDiedWithTheLastProcess()
    {
        await using var db = await TestDatabase.CreateAsync(SqlDialect.Sqlite);
        using var inbox = new TempInbox();
        var sidecar = inbox.Copy(Sidecar, "mid.transcript.json");
        var wav = inbox.Copy("data/silero-vad/test.wav", "mid.wav");
        var calls = new CallStore(db.Db, TimeProvider.System);
        // What a killed embedded process leaves behind: steps queued in its in-memory Hangfire (gone with it), one of
        // them in flight (status audio).
        var transcribing = await RegisterAtAsync(calls, CallStatus.Transcribing, sidecar);
        await calls.MarkQueuedAsync(transcribing);
        var inAudio = (await calls.RegisterAsync(Call("mid-audio", wav))).Id;
        Assert.NotNull(await calls.BeginStepAsync(inAudio, PipelineStep.Audio.From, CallStatus.Audio));
        await calls.MarkQueuedAsync(inAudio);
        var scoring = await RegisterAtAsync(calls, CallStatus.Scoring, sidecar: null);
        await calls.MarkQueuedAsync(scoring);

        using var host = PipelineHost.Build(db, workers: 2);
        await host.StartAsync();
        var rows = await PipelineHost.WaitFinishedAsync(host.Services, [transcribing, inAudio, scoring]);
        await host.StopAsync();

        Assert.Equal(CallStatus.Scored, rows[0].Status); // transcribed from its sidecar, then scored
        Assert.Equal(SidecarUtterances, (await new UtteranceStore(db.Db).ListAsync(transcribing)).Count);
        Assert.StartsWith(NoModel, rows[1].Error); // audio analysed, then no sidecar and no Whisper weights
        Assert.NotNull(rows[1].AudioJson);
        Assert.Equal(CallStatus.Scored, rows[2].Status);
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task Pickup_ShouldProcessCalls_WhenAnotherProcessRegistersThemWhileTheHostRuns(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var inbox = new TempInbox();
        var wav = inbox.Copy("data/silero-vad/aepyx_8k.wav", "late.wav");
        using var host = PipelineHost.Build(db, workers: 1);
        await host.StartAsync();
        await Task.Delay(500); // recovery on start has run and found nothing

        // `hotlineqa ingest` without --wait in another process: a row, no Hangfire job.
        var other = new HotlineDatabase(db.Dialect, db.ConnectionString);
        var (id, _) = await new CallStore(other, TimeProvider.System).RegisterAsync(Call("late", wav));

        var row = Assert.Single(await PipelineHost.WaitFinishedAsync(host.Services, [id], TimeSpan.FromSeconds(30)));
        await host.StopAsync();
        Assert.Equal(CallStatus.Failed, row.Status);
        Assert.StartsWith(NoModel, row.Error); // it went through the audio step; there is no sidecar and no Whisper model
        Assert.NotNull(row.AudioJson);
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task Hangfire_ShouldRetryAStepThenSucceed_WhenItFailsTransientlyTwice(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        // No pickup after the first (the test queues its own job); the start-up recovery has run on an empty database.
        using var host = PipelineHost.Build(db, workers: 1, maxAttempts: 3, transcribeWorkers: 0, pickup: TimeSpan.FromHours(1));
        await host.StartAsync();
        await Task.Delay(1000);
        var calls = host.Services.GetRequiredService<CallStore>();
        var key = "flaky-" + Guid.NewGuid().ToString("N");
        var id = (await calls.RegisterAsync(Call(key, "/nowhere/flaky.wav"))).Id;
        await calls.MarkQueuedAsync(id); // kept from the pickup: the test queues its own job
        FlakyJob.Failures[key] = 2;

        var job = host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<FlakyJob>(j => j.RunAsync(id, null, CancellationToken.None));
        var state = await WaitJobAsync(host.Services, job, "Succeeded");
        var row = await calls.GetAsync(id);
        await host.StopAsync();

        Assert.Equal(CallStatus.Transcribing, row!.Status); // advanced by the third try
        Assert.Null(row.Error);
        Assert.Equal(3, FlakyJob.Tries[key]);
        Assert.Equal(2, state.History.Count(h => h.StateName == "Scheduled")); // two retries, by Hangfire
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task Hangfire_ShouldFailTheJobAndTheCallAfterMaxAttempts_WhenAStepKeepsFailingTransiently(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        // No pickup after the first (the test queues its own job); the start-up recovery has run on an empty database.
        using var host = PipelineHost.Build(db, workers: 1, maxAttempts: 3, transcribeWorkers: 0, pickup: TimeSpan.FromHours(1));
        await host.StartAsync();
        await Task.Delay(1000);
        var calls = host.Services.GetRequiredService<CallStore>();
        var key = "flaky-" + Guid.NewGuid().ToString("N");
        var id = (await calls.RegisterAsync(Call(key, "/nowhere/flaky.wav"))).Id;
        await calls.MarkQueuedAsync(id);
        FlakyJob.Failures[key] = int.MaxValue;

        var job = host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<FlakyJob>(j => j.RunAsync(id, null, CancellationToken.None));
        var state = await WaitJobAsync(host.Services, job, "Failed");
        var row = await calls.GetAsync(id);
        await host.StopAsync();

        Assert.Equal(CallStatus.Failed, row!.Status);
        Assert.Equal("audio step gave up after 3 attempts: IOException: disk hiccup", row.Error);
        Assert.Equal(3, row.Attempts);
        Assert.Equal(3, FlakyJob.Tries[key]);
        Assert.Equal(row.Error, state.History.First(h => h.StateName == "Failed").Data["ExceptionMessage"]);
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task Hangfire_ShouldShowTheCallFailedWithItsReasonAndNotRetry_WhenTheRecordingIsBad(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var inbox = new TempInbox();
        var notes = inbox.Write("notes.wav", "this is not audio");
        using var host = PipelineHost.Build(db, workers: 1, maxAttempts: 3);
        await host.StartAsync();
        var calls = host.Services.GetRequiredService<CallStore>();
        var (id, _) = await calls.RegisterAsync(Call("notes", notes)); // picked up like a call from `ingest`

        var row = Assert.Single(await PipelineHost.WaitFinishedAsync(host.Services, [id], TimeSpan.FromSeconds(30)));
        var monitor = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var failed = await WaitAsync(() => monitor.FailedJobs(0, 10).FirstOrDefault(j => j.Value.Job.Args[0] is long l && l == id));
        var details = monitor.JobDetails(failed.Key);
        await host.StopAsync();

        Assert.Equal(CallStatus.Failed, row.Status);
        Assert.Contains("notes.wav", row.Error);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(row.Error, failed.Value.ExceptionMessage); // Failed in the dashboard, with the call's reason
        Assert.DoesNotContain(details.History, h => h.StateName == "Scheduled"); // never retried
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task StepRunner_ShouldFailWithoutRetry_WhenTheInputIsBad(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var host = PipelineHost.Build(db, workers: 0);
        await host.StartAsync();
        var calls = host.Services.GetRequiredService<CallStore>();
        var id = (await calls.RegisterAsync(Call("corrupt", "/inbox/corrupt.wav"))).Id;

        var e = await Assert.ThrowsAsync<StepFailedException>(() => host.Services.GetRequiredService<StepRunner>().RunAsync(id, PipelineStep.Audio,
            (_, _) => throw new BadInputException("/inbox/corrupt.wav: not a recording FFmpeg can decode (invalid data found)"), null, CancellationToken.None));

        var row = await calls.GetAsync(id);
        Assert.Equal("/inbox/corrupt.wav: not a recording FFmpeg can decode (invalid data found)", e.Message);
        Assert.Equal(CallStatus.Failed, row!.Status);
        Assert.Equal(e.Message, row.Error);
        Assert.Equal(1, row.Attempts);
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task StepRunner_ShouldFailTheCall_WhenTheWritePhaseFindsBadInput(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var host = PipelineHost.Build(db, workers: 0);
        await host.StartAsync();
        var calls = host.Services.GetRequiredService<CallStore>();
        var id = (await calls.RegisterAsync(Call("bad-write", "/inbox/bad-write.wav"))).Id;

        await Assert.ThrowsAsync<StepFailedException>(() => host.Services.GetRequiredService<StepRunner>().RunAsync(id, PipelineStep.Audio,
            (_, _) => Task.FromResult<StepOutput>((_, _, _) => throw new BadInputException("bad-write.wav: a number out of range")), null, CancellationToken.None));

        var row = await calls.GetAsync(id);
        Assert.Equal(CallStatus.Failed, row!.Status); // the advance was rolled back with the write
        Assert.Equal("bad-write.wav: a number out of range", row.Error);
    }

    [Fact]
    public async Task AudioJob_ShouldUseTheSourcesChannelMapping_WhenTheSourceComesFromTheOptionTheMetadataOrTheFolder()
    {
        await using var db = await TestDatabase.CreateAsync(SqlDialect.Sqlite);
        using var inbox = new TempInbox();
        HotlineQA.TestSupport.Pipeline.CallCorpus.Write(Path.Combine(inbox.Dir, "gen"), 1);
        var wav = File.ReadAllBytes(Path.Combine(inbox.Dir, "gen", "call0000.wav"));
        // The same audio four times (one byte appended keeps the hashes apart): default, --source, meta.json, folder.
        void Put(string rel, int pad) => File.WriteAllBytes(Path.Combine(inbox.Dir, rel), [.. wav, .. new byte[pad]]);
        Directory.CreateDirectory(Path.Combine(inbox.Dir, "plain"));
        Directory.CreateDirectory(Path.Combine(inbox.Dir, "opt"));
        Directory.CreateDirectory(Path.Combine(inbox.Dir, "meta"));
        Directory.CreateDirectory(Path.Combine(inbox.Dir, "site", "swapped-recorder"));
        Put("plain/a.wav", 0);
        Put("opt/b.wav", 2);
        Put("meta/c.wav", 4);
        inbox.Write("meta/c.meta.json", """{ "source": "swapped-recorder" }""");
        Put("site/swapped-recorder/d.wav", 6);
        using var host = PipelineHost.Build(db, workers: 0, extra: new Dictionary<string, string?>
        {
            ["Audio:Sources:swapped-recorder:Channels:0"] = "customer",
            ["Audio:Sources:swapped-recorder:Channels:1"] = "agent",
        });
        await host.StartAsync();
        var ingestor = host.Services.GetRequiredService<Ingestor>();
        var calls = host.Services.GetRequiredService<CallStore>();
        var plain = (await ingestor.IngestAsync(Path.Combine(inbox.Dir, "plain"))).Items.Single().CallId!.Value;
        var opt = (await ingestor.IngestAsync(Path.Combine(inbox.Dir, "opt"), new CallMetadata { Source = "swapped-recorder" })).Items.Single().CallId!.Value;
        var meta = (await ingestor.IngestAsync(Path.Combine(inbox.Dir, "meta"))).Items.Single().CallId!.Value;
        var folder = (await ingestor.IngestAsync(Path.Combine(inbox.Dir, "site"))).Items.Single().CallId!.Value;
        var job = host.Services.GetRequiredService<AudioJob>();
        foreach (var id in new[] { plain, opt, meta, folder }) Assert.Equal(CallStatus.Transcribing, await job.RunAsync(id, CancellationToken.None));

        var rows = new[] { plain, opt, meta, folder }.Select(id => calls.GetAsync(id).Result!).ToList();
        Assert.Equal([null, "swapped-recorder", "swapped-recorder", "swapped-recorder"], rows.Select(r => r.Source));
        var timelines = rows.Select(r => HotlineQA.Audio.AudioTimeline.Parse(r.AudioJson)!).ToList();
        var agentByDefault = timelines[0].Speech.Where(s => s.Speaker == "agent").Select(s => (s.Start, s.End)).ToList();
        var customerByDefault = timelines[0].Speech.Where(s => s.Speaker == "customer").Select(s => (s.Start, s.End)).ToList();
        Assert.NotEmpty(agentByDefault);
        Assert.NotEqual(agentByDefault, customerByDefault);
        foreach (var t in timelines.Skip(1))
        {
            // The left channel is the customer's on the swapped recorder: the roles trade places.
            Assert.Equal(agentByDefault, t.Speech.Where(s => s.Speaker == "customer").Select(s => (s.Start, s.End)).ToList());
            Assert.Equal(customerByDefault, t.Speech.Where(s => s.Speaker == "agent").Select(s => (s.Start, s.End)).ToList());
        }
    }

    [Fact]
    public async Task AudioJob_ShouldKeepTheDecodedPcmForTheTranscribeStepAndRemoveItWhenTheCallEnds_WhenTheCallHasNoSidecar()
    {
        await using var db = await TestDatabase.CreateAsync(SqlDialect.Sqlite);
        using var inbox = new TempInbox();
        HotlineQA.TestSupport.Pipeline.CallCorpus.Write(Path.Combine(inbox.Dir, "gen"), 1);
        var wav = Path.Combine(inbox.Dir, "gen", "call0000.wav");
        File.Delete(Path.Combine(inbox.Dir, "gen", "call0000.transcript.json"));
        using var host = PipelineHost.Build(db, workers: 0, extra: new Dictionary<string, string?> { ["Pipeline:ScratchFolder"] = Path.Combine(inbox.Dir, "scratch") });
        await host.StartAsync();
        var id = (await host.Services.GetRequiredService<Ingestor>().IngestAsync(wav)).Items.Single().CallId!.Value;
        var scratch = host.Services.GetRequiredService<PcmScratch>();

        Assert.Equal(CallStatus.Transcribing, await host.Services.GetRequiredService<AudioJob>().RunAsync(id, CancellationToken.None));
        Assert.True(scratch.Exists(id));
        var fromScratch = new List<float>();
        await foreach (var block in scratch.ReadChannelAsync(id, 1, 2)) fromScratch.AddRange(block);
        var decoded = await HotlineQA.Audio.AudioDecoder.ReadChannelAsync(wav, 1, 0, null);
        // The transcribe step reads the right channel exactly as a second FFmpeg run would have decoded it.
        Assert.Equal(decoded.Length, fromScratch.Count);
        Assert.Equal(decoded, fromScratch.ToArray());

        // No Whisper model here: the transcribe step fails the call, and the scratch file goes with it.
        await Assert.ThrowsAsync<StepFailedException>(() => host.Services.GetRequiredService<TranscribeJob>().RunAsync(id, CancellationToken.None));
        Assert.False(scratch.Exists(id));
        Assert.Empty(Directory.GetFiles(scratch.Folder));
    }

    private static async Task<JobDetailsDto> WaitJobAsync(IServiceProvider sp, string jobId, string state)
    {
        var monitor = sp.GetRequiredService<JobStorage>().GetMonitoringApi();
        return await WaitAsync(() => monitor.JobDetails(jobId) is { } d && d.History.FirstOrDefault()?.StateName == state ? d : null);
    }

    private static async Task<T> WaitAsync<T>(Func<T?> probe)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (probe() is { } v && !EqualityComparer<T>.Default.Equals(v, default!)) return v;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Hangfire did not reach the expected state in 60 s");
            await Task.Delay(100);
        }
    }

    private static NewCall Call(string key, string source) => new()
    {
        CallKey = key, ContentSha256 = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), SizeBytes = 1, SourcePath = source,
    };

    /// <summary>A call as the earlier steps would leave it (status set, never queued).</summary>
    private static async Task<long> RegisterAtAsync(CallStore calls, string status, string? sidecar)
    {
        var (id, _) = await calls.RegisterAsync(Call("call-" + status, "/inbox/none.wav") with { SidecarPath = sidecar });
        if (status != CallStatus.Pending) await calls.ResetAsync(id, status);
        return id;
    }
}
