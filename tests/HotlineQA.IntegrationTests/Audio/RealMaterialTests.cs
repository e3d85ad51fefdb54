using System.Globalization;
using HotlineQA.Audio;

namespace HotlineQA.IntegrationTests.Audio;

/// <summary>The analyzer on real public recordings: Mandarin clips with references, Silero's own test files, a true stereo file.</summary>
public sealed class RealMaterialTests(AudioFixture fx) : IClassFixture<AudioFixture>
{
    public static TheoryData<string> ClipsWithSpeechReference()
    {
        var data = new TheoryData<string>();
        foreach (var row in ReferenceRows())
            if (row["reference_type"] is { Length: > 0 } r && !r.StartsWith("none", StringComparison.Ordinal) && !r.StartsWith("speaker turns", StringComparison.Ordinal))
                data.Add(row["path"]);
        return data;
    }

    public static TheoryData<string> AllClips()
    {
        var data = new TheoryData<string>();
        foreach (var row in ReferenceRows()) data.Add(row["path"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(ClipsWithSpeechReference))]
    public async Task AnalyzeAsync_ShouldFindSpeech_WhenTheReferenceHasSpeech(string clip)
    {
        var row = ReferenceRows().Single(r => r["path"] == clip);
        var a = await fx.Analyzer.AnalyzeAsync(TestPaths.Shared("data/audio/" + clip));

        Assert.NotEmpty(a.Speech);
        var duration = double.Parse(row["duration_s"], CultureInfo.InvariantCulture);
        var speechSec = a.Speech.Sum(s => s.End - s.Start) / a.Channels;
        // A read sentence is mostly speech; 40 % of the clip is a loose floor that silence-only output cannot meet.
        Assert.True(speechSec >= 0.4 * duration, $"{clip}: {speechSec:F2} s of speech in {duration} s");
        Assert.All(a.Speech, s => Assert.InRange(s.PitchHz ?? 150, 60, 400));
    }

    [Theory]
    [MemberData(nameof(AllClips))]
    public async Task AnalyzeAsync_ShouldReportDurationChannelsAndRate_WhenAnyReferenceClip(string clip)
    {
        var row = ReferenceRows().Single(r => r["path"] == clip);
        var a = await fx.Analyzer.AnalyzeAsync(TestPaths.Shared("data/audio/" + clip));

        Assert.Equal(int.Parse(row["channels"], CultureInfo.InvariantCulture), a.Channels);
        Assert.Equal(int.Parse(row["sample_rate"], CultureInfo.InvariantCulture), a.SampleRate);
        Assert.InRange(a.DurationSec, double.Parse(row["duration_s"], CultureInfo.InvariantCulture) - 0.1, double.Parse(row["duration_s"], CultureInfo.InvariantCulture) + 0.1);
        Assert.All(a.Speech, s => Assert.True(s.Start < s.End && s.Start >= 0 && s.End <= a.DurationSec + 1e-6));
        var expected = a.Channels == 1 ? new[] { AudioAnalyzer.Unknown } : ["agent", "customer"];
        Assert.Equal(expected.Order(), a.TalkRatio.Keys.Order());
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldFindSpeechAndPauses_WhenSileroTestWav()
    {
        var a = await fx.Analyzer.AnalyzeAsync(TestPaths.Shared("data/silero-vad/test.wav"));

        Assert.Equal(60.0, a.DurationSec, 1);
        // test.wav is continuous English read speech with a handful of pauses.
        Assert.InRange(a.TalkRatio[AudioAnalyzer.Unknown], 0.6, 0.95);
        Assert.InRange(a.Speech.Count, 8, 40);
        Assert.NotEmpty(a.Silences);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldFindSpeech_WhenEightKilohertzSileroExample()
    {
        var a = await fx.Analyzer.AnalyzeAsync(TestPaths.Shared("data/silero-vad/aepyx_8k.wav"));

        Assert.Equal(8000, a.SampleRate);
        Assert.InRange(a.TalkRatio[AudioAnalyzer.Unknown], 0.3, 0.98);
        Assert.True(a.Speech.Count >= 5, $"{a.Speech.Count} segments");
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldGiveEachChannelItsSpeaker_WhenTrueStereo()
    {
        var path = TestPaths.Shared("data/audio/faster_whisper/stereo_diarization.wav");
        var a = await fx.Analyzer.AnalyzeAsync(path);

        Assert.Equal(2, a.Channels);
        Assert.Contains(a.Speech, s => s.Speaker == "agent");
        Assert.Contains(a.Speech, s => s.Speaker == "customer");
        // The right channel's sentence is much shorter than the left's (faster-whisper's reference transcript).
        Assert.True(a.TalkRatio["agent"] > a.TalkRatio["customer"]);
        Assert.NotEmpty(a.Overlaps);

        var swapped = await fx.Analyzer.AnalyzeAsync(path, ["customer", "agent"]);
        Assert.Equal(a.TalkRatio["agent"], swapped.TalkRatio["customer"], 3);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldGiveTheSameResult_WhenCallsShareTheSessionConcurrently()
    {
        string[] files = [TestPaths.Shared("data/silero-vad/test.wav"), TestPaths.Shared("data/audio/faster_whisper/stereo_diarization.wav"),
            TestPaths.Shared("data/silero-vad/aepyx_8k.wav")];
        var sequential = new List<AudioAnalysis>();
        foreach (var f in files) sequential.Add(await fx.Analyzer.AnalyzeAsync(f));

        var concurrent = await Task.WhenAll(files.Concat(files).Select(f => Task.Run(() => fx.Analyzer.AnalyzeAsync(f))));

        for (var i = 0; i < concurrent.Length; i++)
            Assert.Equal(sequential[i % files.Length].Speech, concurrent[i].Speech);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldStopWithCancellation_WhenTokenIsCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fx.Analyzer.AnalyzeAsync(TestPaths.Shared("data/audio/funasr_csharp_examples/vad/0.wav"), cts.Token));
    }

    internal static List<Dictionary<string, string>> ReferenceRows()
    {
        var lines = File.ReadAllLines(TestPaths.Shared("data/audio/REFERENCES.tsv"));
        var header = lines[0].Split('\t');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split('\t');
            return header.Select((h, i) => (h, v: i < cells.Length ? cells[i] : "")).ToDictionary(x => x.h, x => x.v);
        }).ToList();
    }
}
