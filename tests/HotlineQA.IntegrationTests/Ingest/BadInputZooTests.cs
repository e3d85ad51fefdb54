using System.Diagnostics;
using System.Text.Json;
using HotlineQA.IntegrationTests.Pipeline;

namespace HotlineQA.IntegrationTests.Ingest;

/// <summary>
/// The bad-input zoo: broken sidecar transcripts, metadata and recordings, each through the command line
/// (<c>score</c>) and through the pipeline (<c>ingest --wait --format json</c>, the real executable). Every one ends
/// at once as bad input whose reason names the file and the field; nothing stalls, and stdout stays one JSON document.
/// </summary>
[Collection("pipeline")]
public class BadInputZooTests
{
    /// <summary>Sidecar transcript → the field its reason must name.</summary>
    public static readonly IReadOnlyDictionary<string, (string Json, string Reason)> Sidecars = new Dictionary<string, (string, string)>
    {
        ["end-1e309"] = ("""{"utterances":[{"speaker":"agent","start":0,"end":1e309,"text":"您好"}]}""", "utterances[0].end is not a finite number"),
        ["start-negative"] = ("""{"utterances":[{"speaker":"agent","start":0,"end":1,"text":"a"},{"speaker":"customer","start":-3,"end":1,"text":"b"}]}""", "utterances[1].start is negative"),
        ["end-before-start"] = ("""{"utterances":[{"speaker":"agent","start":5,"end":1,"text":"您好"}]}""", "utterances[0].end (1) is before its start (5)"),
        ["duration-absurd"] = ("""{"durationSec":1e12,"utterances":[]}""", "durationSec is 1000000000000 s, more than 24 hours"),
        ["end-absurd"] = ("""{"utterances":[{"speaker":"agent","start":0,"end":99999999,"text":"您好"}]}""", "utterances[0].end is 99999999 s, more than 24 hours"),
        ["channels-7"] = ("""{"channels":7,"utterances":[]}""", "channels must be 1 or 2, not 7"),
        ["confidence-3"] = ("""{"utterances":[{"speaker":"agent","start":0,"end":1,"text":"您好","confidence":3}]}""", "utterances[0].confidence must be between 0 and 1, not 3"),
        ["end-nan-text"] = ("""{"utterances":[{"speaker":"agent","start":0,"end":"NaN","text":"您好"}]}""", "utterances[0].end is not a finite number (NaN)"),
        ["end-not-number"] = ("""{"utterances":[{"speaker":"agent","start":0,"end":"soon","text":"您好"}]}""", "not a valid transcript JSON at utterances[0].end"),
        ["speaker-boss"] = ("""{"utterances":[{"speaker":"boss","start":0,"end":1,"text":"您好"}]}""", "utterance 0 has speaker 'boss'"),
        ["not-json"] = ("""{"utterances":[""", "not a valid transcript JSON"),
    };

    /// <summary>Metadata → the field its reason must name (the recording is refused at ingest).</summary>
    public static readonly IReadOnlyDictionary<string, (string Json, string Reason)> Metadata = new Dictionary<string, (string, string)>
    {
        ["meta-year-1"] = ("""{"agent":"a1","startedAt":"0001-01-01T00:00:00Z"}""", "startedAt 0001-01-01 is outside 1990–2100"),
        ["meta-agent-number"] = ("""{"agent":5}""", "not valid call metadata JSON at agent"),
        ["meta-time-text"] = ("""{"startedAt":"yesterday"}""", "not valid call metadata JSON at startedAt"),
        ["meta-agent-control"] = ("""{"agent":"a\u0000b"}""", "agent contains control characters"),
        ["meta-agent-long"] = ($$"""{"agent":"{{new string('x', 300)}}"}""", "agent is longer than 200 characters"),
        ["meta-broken"] = ("""{"agent":""", "not valid call metadata JSON"),
    };

    private static Task<(int Code, string Out, string Err)> RunAsync(string workDir, IDictionary<string, string> env, params string[] args) =>
        HotlineqaCli.RunAsync(workDir, env, TimeSpan.FromSeconds(300), args);

    /// <summary>A short stereo recording whose content differs per <paramref name="seed"/> (so no two are duplicates).</summary>
    private static byte[] Wav(int seed)
    {
        var samples = new short[16000 * 2];
        samples[seed + 1] = (short)(seed + 1);
        return HotlineQA.Host.Demo.WavFile.Encode(samples, channels: 2, sampleRate: 16000);
    }

    [Fact]
    public async Task Score_ShouldExit1NamingTheFileAndField_WhenEachZooSidecarIsScored()
    {
        using var inbox = new TempInbox();
        foreach (var (name, (json, reason)) in Sidecars)
        {
            var file = inbox.Write($"{name}.transcript.json", json);
            var r = await RunAsync(inbox.Dir, new Dictionary<string, string>(), "score", file, "--format", "json");
            Assert.True(r.Code == 1, $"{name}: exit {r.Code}, {r.Err}");
            Assert.Equal("", r.Out);
            Assert.Contains($"{name}.transcript.json: ", r.Err);
            Assert.Contains(reason, r.Err);
            Assert.DoesNotContain("   at ", r.Err);
        }
    }

    [Fact]
    public async Task IngestWait_ShouldFailEachZooCallAtOnceWithItsReason_AndPrintOneJsonDocument()
    {
        using var inbox = new TempInbox();
        var seed = 0;
        foreach (var (name, (json, _)) in Sidecars)
        {
            Directory.CreateDirectory(Path.Combine(inbox.Dir, "in"));
            File.WriteAllBytes(Path.Combine(inbox.Dir, "in", $"{name}.wav"), Wav(seed++));
            inbox.Write($"in/{name}.transcript.json", json);
        }
        foreach (var (name, (json, _)) in Metadata)
        {
            File.WriteAllBytes(Path.Combine(inbox.Dir, "in", $"{name}.wav"), Wav(seed++));
            inbox.Write($"in/{name}.meta.json", json);
        }
        // Audio: empty, and bytes that are no audio at all.
        inbox.Write("in/audio-empty.wav", "");
        File.WriteAllBytes(Path.Combine(inbox.Dir, "in", "audio-noise.wav"), Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var env = new Dictionary<string, string>
        {
            ["HOTLINEQA_Storage__SqlitePath"] = Path.Combine(inbox.Dir, "state", "zoo.db"),
            ["HOTLINEQA_Pipeline__Workers"] = "2",
        };

        var sw = Stopwatch.StartNew();
        var r = await RunAsync(inbox.Dir, env, "ingest", "in", "--wait", "--format", "json", "--timeout", "240");
        sw.Stop();

        // One JSON document on stdout (the rejected files' log lines went to stderr).
        using var doc = JsonDocument.Parse(r.Out);
        Assert.True(r.Code == 0, r.Err);   // the ingest itself completed; each call says how it ended
        Assert.Contains("rejected", r.Err);
        var calls = doc.RootElement.GetProperty("calls").EnumerateArray().ToDictionary(c => Path.GetFileNameWithoutExtension(c.GetProperty("path").GetString()!));
        foreach (var (name, (_, reason)) in Sidecars)
        {
            var c = calls[name];
            Assert.True(c.GetProperty("status").GetString() == "failed", $"{name}: {c}");
            var error = c.GetProperty("error").GetString()!;
            Assert.Contains($"{name}.transcript.json: ", error);
            Assert.Contains(reason, error);
        }
        foreach (var (name, (_, reason)) in Metadata)
        {
            var c = calls[name];
            Assert.Equal("rejected", c.GetProperty("outcome").GetString());
            Assert.Contains($"{name}.meta.json: ", c.GetProperty("reason").GetString());
            Assert.Contains(reason, c.GetProperty("reason").GetString());
        }
        Assert.EndsWith("audio-empty.wav: the file is empty (0 bytes)", calls["audio-empty"].GetProperty("error").GetString());
        var noise = calls["audio-noise"].GetProperty("error").GetString()!;
        Assert.Contains("audio-noise.wav: ", noise);
        Assert.DoesNotContain("))", noise);
        // Bad input is not retried: far less than one step lease (minutes), let alone MaxAttempts of them.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(200), $"took {sw.Elapsed}");
    }
}
