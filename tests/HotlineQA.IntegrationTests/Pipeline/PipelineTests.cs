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
/// The whole pipeline on the real host (Hangfire server, recovery, sweep) and each step against real rows, with the
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
        Assert.All(rows, r => Assert.Null(r.ClaimedBy));
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task TranscribeJob_ShouldFailWithTheMissingModelReason_WhenThereIsNoSidecarAndNoWhisperModel(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var host = PipelineHost.Build(db, workers: 0);
        await host.StartAsync();
        var calls = host.Services.GetRequiredService<CallStore>();
        var id = await RegisterAtAsync(calls, CallStatus.Transcribing, sidecar: null);

        var status = await host.Services.GetRequiredService<TranscribeJob>().RunAsync(id, CancellationToken.None);

        var row = await calls.GetAsync(id);
        var model = host.Services.GetRequiredService<HotlineQA.Transcription.WhisperTranscriber>().ModelFolder; // Whisper:ModelPath, one setting
        Assert.Equal(CallStatus.Failed, status);
        Assert.Equal(CallStatus.Failed, row!.Status);
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

        await host.Services.GetRequiredService<TranscribeJob>().RunAsync(id, CancellationToken.None);

        var row = await calls.GetAsync(id);
        Assert.Equal(CallStatus.Failed, row!.Status);
        Assert.Equal($"{sidecar}: utterance 0 has speaker 'boss'; expected agent, customer or unknown", row.Error);
        Assert.Equal(1, row.Attempts);
        Assert.Empty(await host.Services.GetRequiredService<UtteranceStore>().ListAsync(id));
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task Recovery_ShouldQueueAndFinishCalls_WhenTheyWereLeftInTheMiddleByADeadProcess(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var inbox = new TempInbox();
        var sidecar = inbox.Copy(Sidecar, "mid.transcript.json");
        var wav = inbox.Copy("data/silero-vad/test.wav", "mid.wav");
        var calls = new CallStore(db.Db, TimeProvider.System);
        // What a killed process leaves behind: a queued step whose job was in memory, a step in flight under a
        // claim by a process that no longer exists (this machine, a pid that cannot be running), a scoring step never queued.
        var transcribing = await RegisterAtAsync(calls, CallStatus.Transcribing, sidecar);
        await calls.MarkQueuedAsync(transcribing);
        var inAudio = (await calls.RegisterAsync(Call("mid-audio", wav))).Id;
        Assert.NotNull(await calls.ClaimAsync(inAudio, [CallStatus.Pending], CallStatus.Audio, $"{Environment.MachineName}:{int.MaxValue}:deadbeef", TimeSpan.FromHours(1)));
        var scoring = await RegisterAtAsync(calls, CallStatus.Scoring, sidecar: null);
        var untouched = (await calls.RegisterAsync(Call("other-host", wav))).Id;
        Assert.NotNull(await calls.ClaimAsync(untouched, [CallStatus.Pending], CallStatus.Audio, "another-machine:42:cafebabe", TimeSpan.FromHours(1)));

        using var host = PipelineHost.Build(db, workers: 2);
        await host.StartAsync();
        var rows = await PipelineHost.WaitFinishedAsync(host.Services, [transcribing, inAudio, scoring]);
        var other = await calls.GetAsync(untouched);
        await host.StopAsync();

        Assert.Equal(CallStatus.Scored, rows[0].Status); // transcribed from its sidecar, then scored
        Assert.Equal(SidecarUtterances, (await new UtteranceStore(db.Db).ListAsync(transcribing)).Count);
        Assert.StartsWith(NoModel, rows[1].Error); // audio analysed, then no sidecar and no Whisper weights
        Assert.Equal(CallStatus.Scored, rows[2].Status);
        // A live claim held by another machine is left alone until its lease runs out.
        Assert.Equal(CallStatus.Audio, other!.Status);
        Assert.Equal("another-machine:42:cafebabe", other.ClaimedBy);
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task Sweep_ShouldProcessCalls_WhenAnotherProcessRegistersThemWhileTheHostRuns(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var inbox = new TempInbox();
        var wav = inbox.Copy("data/silero-vad/aepyx_8k.wav", "late.wav");
        using var host = PipelineHost.Build(db, workers: 1, sweep: TimeSpan.FromMilliseconds(300));
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
    public async Task StepRunner_ShouldRetryThenGiveUp_WhenAStepKeepsFailingTransiently(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var host = PipelineHost.Build(db, workers: 0);
        await host.StartAsync();
        var calls = host.Services.GetRequiredService<CallStore>();
        var runner = host.Services.GetRequiredService<StepRunner>();
        var id = (await calls.RegisterAsync(Call("flaky", "/nowhere/flaky.wav"))).Id;
        var tries = 0;
        Task<StepOutput> Flaky(CallRow _, CancellationToken __) { tries++; throw new IOException("disk hiccup"); }

        var first = await runner.RunAsync(id, PipelineStep.Audio, Flaky, CancellationToken.None);
        var afterFirst = await calls.GetAsync(id);
        var second = await runner.RunAsync(id, PipelineStep.Audio, Flaky, CancellationToken.None);
        var third = await runner.RunAsync(id, PipelineStep.Audio, Flaky, CancellationToken.None);
        var fourth = await runner.RunAsync(id, PipelineStep.Audio, Flaky, CancellationToken.None);

        Assert.Equal(CallStatus.Audio, first);
        Assert.Equal(CallStatus.Audio, afterFirst!.Status);
        Assert.Null(afterFirst.ClaimedBy);
        Assert.Equal("attempt 1 of the audio step failed, retrying: IOException: disk hiccup", afterFirst.Error);
        Assert.Equal(CallStatus.Audio, second);
        Assert.Equal(CallStatus.Failed, third);
        Assert.Null(fourth);
        Assert.Equal(3, tries);
        var row = await calls.GetAsync(id);
        Assert.Equal("audio step gave up after 3 attempts: IOException: disk hiccup", row!.Error);
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task StepRunner_ShouldFailWithoutRetry_WhenTheInputIsBad(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var host = PipelineHost.Build(db, workers: 0);
        await host.StartAsync();
        var calls = host.Services.GetRequiredService<CallStore>();
        var id = (await calls.RegisterAsync(Call("corrupt", "/inbox/corrupt.wav"))).Id;

        var status = await host.Services.GetRequiredService<StepRunner>().RunAsync(id, PipelineStep.Audio,
            (_, _) => throw new BadInputException("/inbox/corrupt.wav: not a recording FFmpeg can decode (invalid data found)"), CancellationToken.None);

        var row = await calls.GetAsync(id);
        Assert.Equal(CallStatus.Failed, status);
        Assert.Equal("/inbox/corrupt.wav: not a recording FFmpeg can decode (invalid data found)", row!.Error);
        Assert.Equal(1, row.Attempts);
    }

    private static NewCall Call(string key, string source) => new()
    {
        CallKey = key, ContentSha256 = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), SizeBytes = 1, SourcePath = source,
    };

    /// <summary>A call as the earlier steps would leave it (status set, nothing claimed, never queued).</summary>
    private static async Task<long> RegisterAtAsync(CallStore calls, string status, string? sidecar)
    {
        var (id, _) = await calls.RegisterAsync(Call("call-" + status, "/inbox/none.wav") with { SidecarPath = sidecar });
        if (status != CallStatus.Pending) await calls.ResetAsync(id, status);
        return id;
    }
}
