using System.Diagnostics;
using System.Security.Cryptography;
using HotlineQA.Host.Demo;
using HotlineQA.Transcription;

namespace HotlineQA.IntegrationTests.Demo;

/// <summary>Renders every sample call once (real espeak-ng and ffmpeg) and shares the output between tests.</summary>
public sealed class SampleCallsFixture : IAsyncLifetime
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "hotlineqa-samples-" + Guid.NewGuid().ToString("N"));
    public GeneratedSamples Samples { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Tools.Require("espeak-ng", "ffmpeg", "ffprobe");
        Samples = await new SampleCallGenerator(new SpeechRenderer()).GenerateAsync(Dir);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Dir, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SampleCallsCollection : ICollectionFixture<SampleCallsFixture>
{
    public const string Name = "sample calls";
}

[Collection(SampleCallsCollection.Name)]
public sealed class SampleCallGeneratorTests(SampleCallsFixture fx)
{
    [Fact]
    public void GenerateAsync_ShouldWriteStereoWavAndSidecar_ForEveryScript()
    {
        Assert.True(SampleCallScripts.All.Count >= 10);
        Assert.Equal(SampleCallScripts.All.Count, fx.Samples.Calls.Count);
        foreach (var wav in fx.Samples.Calls)
        {
            var probe = Tools.Run("ffprobe", "-v", "error", "-show_entries", "stream=channels,sample_rate,codec_name", "-of", "csv=p=0", wav);
            Assert.Equal("pcm_s16le,16000,2", probe.Trim());
            var t = Transcript.Load(Path.ChangeExtension(wav, null) + ".transcript.json");
            Assert.Equal(Path.GetFileNameWithoutExtension(wav), t.CallId);
            Assert.Equal(2, t.Channels);
            Assert.NotEmpty(t.Utterances);
            var duration = double.Parse(Tools.Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", wav).Trim(),
                System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(t.DurationSec!.Value, duration - 0.01, duration + 0.01);
            Assert.True(t.Utterances.Max(u => u.End) < duration);
        }
    }

    [Fact]
    public void GenerateAsync_ShouldPutSpeechOnItsSpeakersChannelAtSidecarTimes_WhenDecodedByFfmpeg()
    {
        foreach (var wav in fx.Samples.Calls)
        {
            var t = Transcript.Load(Path.ChangeExtension(wav, null) + ".transcript.json");
            // Decoded by ffmpeg, not by our own writer, so a wrong header or channel order shows.
            var left = Tools.DecodeChannel(wav, 0);
            var right = Tools.DecodeChannel(wav, 1);
            foreach (var (speaker, own) in new[] { ("agent", left), ("customer", right) })
            {
                var spans = t.Utterances.Where(u => u.Speaker == speaker).Select(u => (u.Start, u.End)).ToList();
                foreach (var (s, e) in spans)
                    Assert.True(Tools.Rms(own, s, e) > 300, $"{Path.GetFileName(wav)}: {speaker} speech {s:F2}-{e:F2} is missing on its channel");
                // Outside its own utterances a channel is digitally silent (a little slack at the rounded edges).
                Assert.True(Tools.MaxOutside(own, spans, 0.005) < 150, $"{Path.GetFileName(wav)}: {speaker} channel has sound outside its utterances");
            }
        }
    }

    [Fact]
    public void GenerateAsync_ShouldStageTheRubricBehaviours_WhenRendered()
    {
        Transcript Load(string name) => Transcript.Load(Path.Combine(fx.Dir, name + ".transcript.json"));

        var silent = Load("06-silent-call");
        Assert.DoesNotContain(silent.Utterances, u => u.Speaker == "customer");
        var prompts = silent.Utterances.ToList();
        for (var i = 1; i < prompts.Count; i++) Assert.InRange(prompts[i].Start - prompts[i - 1].End, 4.9, 5.1);

        var hold = Load("05-hold-announced").Utterances;
        var gaps = hold.Skip(1).Select((u, i) => (Gap: u.Start - hold.Take(i + 1).Max(p => p.End), Before: hold[i], After: u)).ToList();
        var longest = gaps.MaxBy(g => g.Gap);
        Assert.InRange(longest.Gap, 10.9, 11.1);
        Assert.Contains("请您稍等", longest.Before.Text);
        Assert.Contains("感谢您的耐心等待", longest.After.Text);

        // Interruptions: the agent starts while the customer is speaking and they overlap for at least 1 s.
        var call = Load("09-interrupting-agent").Utterances;
        var interruptions = call.Where(a => a.Speaker == "agent")
            .Count(a => call.Any(c => c.Speaker == "customer" && c.Start < a.Start && a.Start < c.End && Math.Min(a.End, c.End) - a.Start >= 1.0));
        Assert.Equal(3, interruptions);
    }

    [Fact]
    public void GenerateAsync_ShouldWriteBrokenFilesThatNoDecoderAccepts_WhenBrokenIncluded()
    {
        Assert.Equal(3, fx.Samples.BrokenFiles.Count);
        foreach (var f in fx.Samples.BrokenFiles)
        {
            Assert.EndsWith(".wav", f);
            Assert.False(File.Exists(Path.ChangeExtension(f, null) + ".transcript.json"));
            var (code, _) = Tools.TryRun("ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", f);
            Assert.NotEqual(0, code);
        }
    }

    [Fact]
    public async Task GenerateAsync_ShouldWriteIdenticalBytes_WhenRunTwice()
    {
        var scripts = SampleCallScripts.All.Where(s => s.Name is "09-interrupting-agent" or "11-poor-line").ToList();
        var again = Path.Combine(Path.GetTempPath(), "hotlineqa-samples-" + Guid.NewGuid().ToString("N"));
        try
        {
            await new SampleCallGenerator(new SpeechRenderer()).GenerateAsync(again, scripts, includeBroken: false);
            foreach (var s in scripts)
                foreach (var ext in new[] { ".wav", ".transcript.json", ".meta.json" })
                    Assert.Equal(Hash(Path.Combine(fx.Dir, s.Name + ext)), Hash(Path.Combine(again, s.Name + ext)));
        }
        finally { Directory.Delete(again, recursive: true); }

        static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
    }
}

public sealed class SpeechRendererTests
{
    private const string Line = "您好，这里是客服热线，请问有什么可以帮您？";

    [Fact]
    public async Task RenderAsync_ShouldSpeakMandarinSyllables_WhenPinyinVoiceUsed()
    {
        Tools.Require("espeak-ng", "ffmpeg");
        var hanzi = Line.Count(c => c >= 0x4E00 && c <= 0x9FFF);
        var renderer = new SpeechRenderer();
        var mandarin = await renderer.RenderAsync(Line, SpeechRenderer.Agent);
        var spelled = await renderer.RenderAsync(Line, SpeechRenderer.Agent with { Voice = "cmn+f3" });
        var perChar = mandarin.Length / (double)SpeechRenderer.SampleRate / hanzi;
        // Ear-proxy: one Mandarin syllable per character takes 0.15–0.4 s; spelling pinyin out in English takes longer.
        Assert.InRange(perChar, 0.15, 0.4);
        Assert.True(mandarin.Length < 0.85 * spelled.Length, $"pinyin voice {mandarin.Length} samples vs English-spelling voice {spelled.Length}");
        // espeak-ng marks a switch to its English phonemes with "(en)": the pinyin voice must never switch.
        Assert.DoesNotContain("(en)", Tools.Run("espeak-ng", "-q", "-x", "-v", "cmn-latn-pinyin", Line));
        Assert.Contains("(en)", Tools.Run("espeak-ng", "-q", "-x", "-v", "cmn", Line));
    }

    [Fact]
    public async Task RenderAsync_ShouldTrimSilence_WhenClipRendered()
    {
        Tools.Require("espeak-ng", "ffmpeg");
        var pcm = await new SpeechRenderer().RenderAsync("好的。", SpeechRenderer.Customer);
        Assert.True(Math.Abs((int)pcm[0]) > 100 && Math.Abs((int)pcm[^1]) > 100);
    }
}

internal static class Tools
{
    public static void Require(params string[] tools)
    {
        foreach (var tool in tools)
        {
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));
            if (!found) Assert.Fail($"{tool} is not installed; run scripts/setup.sh (these tests need the real tool)");
        }
    }

    public static string Run(string tool, params string[] args)
    {
        var (code, output) = TryRun(tool, args);
        if (code != 0) throw new InvalidOperationException($"{tool} exited {code}");
        return output;
    }

    public static (int Code, string Output) TryRun(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        _ = err.Result;
        return (p.ExitCode, output);
    }

    public static short[] DecodeChannel(string wav, int channel)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-i", wav, "-af", $"pan=mono|c0=c{channel}", "-f", "s16le", "pipe:1" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "ffmpeg could not decode " + wav + ": " + err.Result);
        var pcm = new short[ms.Length / 2];
        Buffer.BlockCopy(ms.ToArray(), 0, pcm, 0, pcm.Length * 2);
        return pcm;
    }

    public static double Rms(short[] pcm, double start, double end)
    {
        int a = (int)(start * 16000), b = Math.Min(pcm.Length, (int)(end * 16000));
        double sum = 0;
        for (var i = a; i < b; i++) sum += (double)pcm[i] * pcm[i];
        return b > a ? Math.Sqrt(sum / (b - a)) : 0;
    }

    public static int MaxOutside(short[] pcm, IReadOnlyList<(double Start, double End)> spans, double slack)
    {
        var max = 0;
        for (var i = 0; i < pcm.Length; i++)
        {
            var t = i / 16000.0;
            if (spans.Any(s => t >= s.Start - slack && t <= s.End + slack)) continue;
            max = Math.Max(max, Math.Abs((int)pcm[i]));
        }
        return max;
    }
}
