using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.TestSupport.Audio;

namespace HotlineQA.IntegrationTests.Audio;

/// <summary>
/// One real Mandarin clip re-encoded with ffmpeg (and sox for AMR-NB) into every telephone format and rate: each
/// decodes to the same speech as the original. AMR-WB cannot be tested this way: Debian's ffmpeg and sox can
/// decode it but have no AMR-WB encoder.
/// </summary>
public sealed class FormatTests(AudioFixture fx) : IClassFixture<AudioFixture>
{
    private const string Clip = "data/audio/funasr/asr_example.wav";

    public static TheoryData<string, string> Encodings() => new()
    {
        { "pcm_u8.wav", "-c:a pcm_u8" },
        { "pcm16.wav", "-c:a pcm_s16le" },
        { "pcm24.wav", "-c:a pcm_s24le" },
        { "pcm32.wav", "-c:a pcm_s32le" },
        { "float.wav", "-c:a pcm_f32le" },
        { "mulaw.wav", "-ar 8000 -c:a pcm_mulaw" },
        { "alaw.wav", "-ar 8000 -c:a pcm_alaw" },
        { "gsm.wav", "-ar 8000 -c:a libgsm_ms" },
        { "ima.wav", "-c:a adpcm_ima_wav" },
        { "clip.mp3", "-c:a libmp3lame -b:a 32k" },
        { "clip.flac", "-c:a flac" },
        { "clip.ogg", "-c:a libopus -b:a 16k" },
        { "clip.m4a", "-c:a aac -b:a 32k" },
        { "rate4k.wav", "-ar 4000 -c:a pcm_s16le" },
        { "rate8k.wav", "-ar 8000 -c:a pcm_s16le" },
        { "rate96k.wav", "-ar 96000 -c:a pcm_s24le" },
        { "stereo44k.mp3", "-ar 44100 -ac 2 -c:a libmp3lame" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task AnalyzeAsync_ShouldFindTheSameSpeech_WhenClipIsReencoded(string name, string args)
    {
        var original = await fx.Analyzer.AnalyzeAsync(TestPaths.Shared(Clip));
        var path = fx.PathFor(name);
        await AudioTools.ConvertAsync(TestPaths.Shared(Clip), path, args.Split(' '));

        var a = await fx.Analyzer.AnalyzeAsync(path);

        AssertSameSpeech(original, a, name);
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldDecodeAmrNarrowband_WhenSoxEncodedIt()
    {
        AudioTools.RequireSox();
        var original = await fx.Analyzer.AnalyzeAsync(TestPaths.Shared(Clip));
        var path = fx.PathFor("clip.amr");
        // 12.2 kbit/s with DTX, as phones send it. ffmpeg's AMR-NB decoder cannot decode the comfort-noise (SID)
        // frames: they become silence of the right length, so speech keeps its time; trailing ones are lost.
        await AudioTools.RunAsync("sox", [TestPaths.Shared(Clip), "-r", "8000", "-c", "1", "-C", "7", "-t", "amr-nb", path]);

        var a = await fx.Analyzer.AnalyzeAsync(path);

        Assert.Equal("amr_nb", a.Codec);
        AssertSameSpeech(original, a, "amr", durationTolerance: 0.25);
    }

    private static void AssertSameSpeech(AudioAnalysis original, AudioAnalysis a, string name, double durationTolerance = 0.08)
    {
        // Lossy codecs and rates move edges a little; the speech must be the same speech.
        Assert.InRange(a.DurationSec, original.DurationSec - durationTolerance, original.DurationSec + durationTolerance);
        var speech = a.Speech.Where(s => s.Speaker is "unknown" or "agent").ToList();
        Assert.NotEmpty(speech);
        Assert.InRange(speech[0].Start, original.Speech[0].Start - 0.25, original.Speech[0].Start + 0.25);
        Assert.InRange(speech[^1].End, original.Speech[^1].End - 0.25, original.Speech[^1].End + 0.25);
        var total = speech.Sum(s => s.End - s.Start);
        var expected = original.Speech.Sum(s => s.End - s.Start);
        Assert.True(Math.Abs(total - expected) <= 0.1 * expected, $"{name}: {total:F2} s of speech vs {expected:F2} s in the original");
    }
}
