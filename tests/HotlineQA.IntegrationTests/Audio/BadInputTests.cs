using System.Diagnostics;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.TestSupport.Audio;

namespace HotlineQA.IntegrationTests.Audio;

/// <summary>Bad or odd recordings: each gives a clear error naming the file and reason, or a correct result.</summary>
public sealed class BadInputTests(AudioFixture fx) : IClassFixture<AudioFixture>
{
    private const string Clip = "data/audio/funasr/asr_example.wav";

    [Fact]
    public async Task AnalyzeAsync_ShouldRejectWithReason_WhenFileIsEmpty()
    {
        var path = fx.PathFor("empty.wav");
        await File.WriteAllBytesAsync(path, []);

        var e = await Assert.ThrowsAsync<BadInputException>(() => fx.Analyzer.AnalyzeAsync(path));

        Assert.Contains("empty.wav", e.Message);
        Assert.Contains("empty", e.Message.Replace("empty.wav", ""));
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldRejectWithReason_WhenTextFileIsNamedWav()
    {
        var path = fx.PathFor("notes.wav");
        await File.WriteAllTextAsync(path, "这不是录音文件。This is a text file, not a recording.\n");

        var e = await Assert.ThrowsAsync<BadInputException>(() => fx.Analyzer.AnalyzeAsync(path));

        Assert.Contains("notes.wav", e.Message);
        Assert.Contains("not a readable audio file", e.Message);
        Assert.DoesNotContain("这不是", e.Message);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldRejectWithReason_WhenFileDoesNotExist()
    {
        var e = await Assert.ThrowsAsync<BadInputException>(() => fx.Analyzer.AnalyzeAsync(fx.PathFor("missing.wav")));

        Assert.Contains("missing.wav: file not found", e.Message);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldRejectWithReason_WhenFileHasNoAudioStream()
    {
        var path = fx.PathFor("picture.png");
        await AudioTools.RunAsync("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1", path]);

        var e = await Assert.ThrowsAsync<BadInputException>(() => fx.Analyzer.AnalyzeAsync(path));

        Assert.Contains("picture.png", e.Message);
        Assert.Contains("no audio stream", e.Message);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldDecodeByContent_WhenMp3IsNamedWav()
    {
        var path = fx.PathFor("really-an-mp3.wav");
        await AudioTools.ConvertAsync(TestPaths.Shared(Clip), path, "-c:a", "libmp3lame", "-f", "mp3");

        var a = await fx.Analyzer.AnalyzeAsync(path);

        Assert.Equal("mp3", a.Codec);
        Assert.NotEmpty(a.Speech);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldAnalyseWhatIsThere_WhenWavIsTruncated()
    {
        var source = await File.ReadAllBytesAsync(TestPaths.Shared("data/silero-vad/test.wav"));
        var path = fx.PathFor("truncated.wav");
        await File.WriteAllBytesAsync(path, source[..(source.Length / 2 + 1)]);
        var whole = await fx.Analyzer.AnalyzeAsync(TestPaths.Shared("data/silero-vad/test.wav"));

        var a = await fx.Analyzer.AnalyzeAsync(path);

        Assert.InRange(a.DurationSec, 29.9, 30.1);
        // Speech well before the cut is found as in the whole file (ends may move a little: the noise floor that
        // trims segment tails is measured over what was decoded).
        var early = whole.Speech.Where(s => s.End < 28).ToList();
        var found = a.Speech.Where(s => s.Start < early[^1].End).ToList();
        Assert.Equal(early.Count, found.Count);
        Assert.All(early.Zip(found), p =>
        {
            Assert.Equal(p.First.Start, p.Second.Start, 3);
            Assert.InRange(p.Second.End, p.First.End - 0.1, p.First.End + 0.1);
        });
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldWarn_WhenM4aIsShorterThanItDeclares()
    {
        var m4a = fx.PathFor("whole.m4a");
        await AudioTools.ConvertAsync(TestPaths.Shared("data/silero-vad/test.wav"), m4a, "-c:a", "aac", "-b:a", "32k", "-movflags", "+faststart");
        var bytes = await File.ReadAllBytesAsync(m4a);
        var path = fx.PathFor("cut.m4a");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        var a = await fx.Analyzer.AnalyzeAsync(path);

        Assert.InRange(a.DurationSec, 20, 40);
        Assert.NotEmpty(a.Speech);
        Assert.Contains(a.Warnings, w => w.Contains("truncated"));
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldRejectOrAnalyse_WhenMp3IsCutMidFrameAndCorrupted()
    {
        var mp3 = fx.PathFor("whole.mp3");
        await AudioTools.ConvertAsync(TestPaths.Shared(Clip), mp3, "-c:a", "libmp3lame");
        var bytes = await File.ReadAllBytesAsync(mp3);
        var rng = new Random(7);
        for (var i = bytes.Length / 3; i < bytes.Length / 2; i += 37) bytes[i] = (byte)rng.Next(256);
        var path = fx.PathFor("corrupt.mp3");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length * 3 / 4)]);

        var a = await fx.Analyzer.AnalyzeAsync(path);

        Assert.InRange(a.DurationSec, 1, 5.6);
        Assert.NotEmpty(a.Speech);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldFindNoSpeech_WhenRecordingIsAllSilence()
    {
        var path = fx.PathFor("silence.wav");
        await AudioTools.RunAsync("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=stereo", "-t", "30", "-c:a", "pcm_s16le", path]);

        var a = await fx.Analyzer.AnalyzeAsync(path);

        Assert.Equal(30, a.DurationSec, 2);
        Assert.Empty(a.Speech);
        Assert.Empty(a.Overlaps);
        Assert.Equal([new Silence(0, 30)], a.Silences);
        Assert.Equal(0, a.TalkRatio["agent"]);
        Assert.Equal(1, a.SilenceRatio);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldAnalyseAsMono_WhenBothChannelsCarryTheSameAudio()
    {
        var path = fx.PathFor("fake-stereo.wav");
        await AudioTools.ConvertAsync(TestPaths.Shared("data/silero-vad/test.wav"), path, "-ac", "2", "-ar", "8000", "-c:a", "pcm_mulaw");
        var mono = await fx.Analyzer.AnalyzeAsync(TestPaths.Shared("data/silero-vad/test.wav"));

        var a = await fx.Analyzer.AnalyzeAsync(path);

        Assert.Equal(2, a.Channels);
        Assert.All(a.Speech, s => Assert.Equal(AudioAnalyzer.Unknown, s.Speaker));
        Assert.Empty(a.Overlaps);
        Assert.Equal([AudioAnalyzer.Unknown], a.TalkRatio.Keys);
        Assert.InRange(a.TalkRatio[AudioAnalyzer.Unknown], mono.TalkRatio[AudioAnalyzer.Unknown] - 0.05, mono.TalkRatio[AudioAnalyzer.Unknown] + 0.05);
        Assert.Contains(a.Warnings, w => w.Contains("same audio"));
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldRejectWithReason_WhenSixChannelsAndNoMapping()
    {
        var path = await SixChannelsAsync();

        var e = await Assert.ThrowsAsync<BadInputException>(() => fx.Analyzer.AnalyzeAsync(path));

        Assert.Contains("six.wav", e.Message);
        Assert.Contains("6 audio channels", e.Message);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldUseMappedChannels_WhenSixChannelsAndMappingConfigured()
    {
        var path = await SixChannelsAsync();

        var a = await fx.Analyzer.AnalyzeAsync(path, ["", "", "agent", "", "customer", ""]);

        Assert.Equal(6, a.Channels);
        Assert.Contains(a.Speech, s => s.Speaker == "agent");
        Assert.DoesNotContain(a.Speech, s => s.Speaker == "customer");
        Assert.Equal(["agent", "customer"], a.TalkRatio.Keys.Order());
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldStayInBoundedMemory_WhenCallLastsThreeHours()
    {
        // Three hours of stereo silence with the clip on the left near the start and the end; FLAC keeps it small.
        var path = fx.PathFor("three-hours.flac");
        await AudioTools.RunAsync("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", TestPaths.Shared(Clip),
            "-f", "lavfi", "-t", "100", "-i", "anullsrc=r=16000:cl=mono", "-f", "lavfi", "-t", "10700", "-i", "anullsrc=r=16000:cl=mono",
            "-filter_complex", "[0]aformat=sample_rates=16000:channel_layouts=mono,asplit[a][b];[1][a][2][b]concat=n=4:v=0:a=1,pan=stereo|c0=c0|c1=0*c0",
            "-ar", "8000", "-c:a", "flac", path]);
        var models = new Dictionary<string, string> { ["HOTLINEQA_MODELS"] = Path.GetDirectoryName(Path.GetDirectoryName(fx.Options.VadModelPath))! };
        using var p = HotlineqaCli.Start(null, models, "analyze-audio", path, "--format", "json");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        long peakKb = 0;
        while (!p.HasExited)
        {
            peakKb = Math.Max(peakKb, PeakRssKb(p.Id));
            await Task.Delay(50);
        }
        await p.WaitForExitAsync();

        Assert.True(p.ExitCode == 0, await stderr);
        var a = System.Text.Json.JsonSerializer.Deserialize<AudioAnalysis>(await stdout, HotlineJson.Options)!;
        Assert.InRange(a.DurationSec, 10800 + 2 * 5.55 - 0.2, 10800 + 2 * 5.55 + 0.2);
        Assert.Contains(a.Speech, s => s.Speaker == "agent" && s.Start is > 99 and < 102);
        Assert.Contains(a.Speech, s => s.Speaker == "agent" && s.Start is > 10805 and < 10807);
        Assert.DoesNotContain(a.Speech, s => s.Speaker == "customer");
        Assert.True(peakKb > 0 && peakKb < 300 * 1024, $"peak resident memory {peakKb / 1024} MB");
    }

    private async Task<string> SixChannelsAsync()
    {
        var path = fx.PathFor("six.wav");
        if (File.Exists(path)) return path;
        // Speech only on channel 2; the other five are silent.
        await AudioTools.RunAsync("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", TestPaths.Shared(Clip),
            "-af", "pan=5.1|c0=0*c0|c1=0*c0|c2=c0|c3=0*c0|c4=0*c0|c5=0*c0", "-c:a", "pcm_s16le", path + ".tmp.wav"]);
        File.Move(path + ".tmp.wav", path, overwrite: true);
        return path;
    }

    private static long PeakRssKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
