using HotlineQA.Audio;
using HotlineQA.Ingest;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using HotlineQA.Transcription;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotlineQA.IntegrationTests.Pipeline;

/// <summary>
/// The whole pipeline (Hangfire, SQLite, FFmpeg + Silero, Whisper.net, scoring) over stereo calls that come without a
/// sidecar, so every transcript is whisper.cpp's, with two transcribe workers: a generated ggml model (random weights,
/// whisper.cpp's real vocabulary and mel filters) stands in for real weights.
/// </summary>
[Collection("pipeline")]
public class WhisperPipelineTests
{
    [Fact]
    public async Task Pipeline_ShouldTranscribeEachCallWithWhisperAndRunTwoDecodesAtOnce_WhenTwoTranscribeWorkersShareOneModel()
    {
        await using var db = await TestDatabase.CreateAsync(SqlDialect.Sqlite);
        using var inbox = new TempInbox();
        const int calls = 6;
        HotlineQA.TestSupport.Pipeline.CallCorpus.Write(inbox.Dir, calls);
        foreach (var sidecar in Directory.GetFiles(inbox.Dir, "*.transcript.json")) File.Delete(sidecar);
        var model = Transcription.GgmlModels.SmallDims;
        using var host = PipelineHost.Build(db, workers: 2, transcribeWorkers: 2, extra: new Dictionary<string, string?>
        {
            ["Whisper:ModelPath"] = model,
            ["Whisper:Threads"] = "1",
            ["Whisper:InitialPrompt"] = "",
        });
        var whisper = host.Services.GetRequiredService<WhisperTranscriber>();
        // Whisper:Processors = 0: two per transcribe worker, at most one per core, at least one per worker.
        Assert.Equal(WhisperTranscriber.DefaultProcessors(2, Environment.ProcessorCount), whisper.Parallelism.Processors);
        Assert.True(whisper.Parallelism.Processors >= 2);
        await host.StartAsync();

        var report = await host.Services.GetRequiredService<Ingestor>().IngestAsync(inbox.Dir);
        var rows = await PipelineHost.WaitFinishedAsync(host.Services, report.Items.Select(i => i.CallId!.Value), TimeSpan.FromMinutes(5));
        await host.StopAsync();

        Assert.Equal(calls, report.New);
        Assert.All(rows, r => Assert.True(r.Status == CallStatus.Scored, $"#{r.Id} {r.CallKey}: {r.Status} {r.Error}"));
        Assert.All(rows, r => Assert.Null(r.SidecarPath));
        var store = host.Services.GetRequiredService<UtteranceStore>();
        await using var alone = new WhisperTranscriber(new WhisperOptions { ModelPath = model, Threads = 1, Processors = 1, InitialPrompt = null });
        var chunks = 0;
        foreach (var row in rows)
        {
            var timeline = AudioTimeline.Parse(row.AudioJson)!;
            var stored = await store.ListAsync(row.Id);
            Assert.NotEmpty(stored);
            // Every utterance is its channel's speaker's, starts inside one of that speaker's VAD speech regions and
            // lies inside the call.
            foreach (var u in stored)
            {
                Assert.Contains(u.Speaker, new[] { "agent", "customer" });
                Assert.Contains(timeline.Speech, s => s.Speaker == u.Speaker && u.StartSec >= s.Start - 0.01 && u.StartSec <= s.End + 0.01);
                Assert.InRange(u.StartSec, 0, u.EndSec);
                Assert.InRange(u.EndSec, u.StartSec, timeline.DurationSec + 0.01);
                Assert.False(string.IsNullOrWhiteSpace(u.Text));
            }
            // Both channels spoke (the calls are cut from real speech) and both were transcribed.
            foreach (var speaker in timeline.Speech.Select(s => s.Speaker).Distinct())
                Assert.Contains(stored, u => u.Speaker == speaker);
            // The stored transcript is exactly what the model gives for this recording on its own, one decode at a time.
            var expected = await alone.TranscribeAsync(row.SourcePath, timeline, CancellationToken.None);
            Assert.Equal(expected.Utterances.Select(u => (u.Speaker, u.Start, u.End, u.Text)), stored.Select(u => (u.Speaker, u.StartSec, u.EndSec, u.Text)));
            chunks += new[] { "agent", "customer" }.Sum(sp => SpeechChunker.Plan(timeline.Speech.Where(s => s.Speaker == sp).Select(s => (s.Start, s.End)), 0.3).Count);
        }
        // Every chunk of every call went through the pipeline's transcriber, and two of its decodes were inside
        // whisper.cpp at the same moment (the two workers' processors).
        Assert.Equal(chunks, whisper.Stats.Chunks);
        Assert.True(whisper.Stats.MaxConcurrentDecodes >= 2, $"at most {whisper.Stats.MaxConcurrentDecodes} decode(s) at once");
        var decodes = whisper.Stats.Decodes.OrderBy(d => d.Start).ToList();
        Assert.Contains(decodes.SelectMany((a, i) => decodes.Skip(i + 1).Select(b => (a, b))), p => p.b.Start < p.a.End);
    }
}
