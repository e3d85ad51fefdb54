using HotlineQA.Audio;
using HotlineQA.TestSupport.Audio;

namespace HotlineQA.IntegrationTests.Audio;

/// <summary>
/// Stereo calls generated with known timing (espeak-ng Mandarin on each side, noise, a tone, hold music): speech
/// boundaries within ±0.25 s, silences and overlaps found with F1 ≥ 0.95, interrupters right, tones not speech.
/// </summary>
public sealed class SyntheticCallTests(AudioFixture fx, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<AudioFixture>
{
    private const double Tolerance = 0.25;

    // Agent on channel 0, customer on channel 1, as in the default mapping.
    private static readonly ScriptLine[] Conversation =
    [
        new(0, "您好，这里是客服热线，请问有什么可以帮您", 0),
        new(1, "我上周报修的排气管到现在还没有修好", 2.0),
        new(0, "非常抱歉给您带来不便，请问您的订单号是多少", 0.5),
        new(1, "订单号是八六七五三零九", 3.5),
        new(0, "好的，我帮您查询一下", 0.4),
        new(1, "你们到底什么时候来修", 4.0),
        new(0, "师傅明天上午会联系您上门维修", -1.2),
        new(1, "明天上午几点", 2.2),
        new(0, "大约九点到十一点之间", 0.5),
        new(1, "好的谢谢", -1.0),
        new(0, "感谢您的来电，祝您生活愉快，再见", 1.8),
    ];

    public static TheoryData<string, double?, string> Variants() => new()
    {
        { "clean-pcm8k", null, "pcm_s16le" },
        { "noise-pcm8k", -45.0, "pcm_s16le" },
        { "noise-mulaw8k", -40.0, "pcm_mulaw" },
        { "noise-pcm16k", -35.0, "pcm_s16le@16000" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task AnalyzeAsync_ShouldMatchKnownTiming_WhenGeneratedStereoCall(string name, double? noiseDbfs, string codec)
    {
        var parts = codec.Split('@');
        var call = await SyntheticCall.RenderAsync(new CallScript(Conversation, LeadIn: 1.5, Tail: 3.0, noiseDbfs, Seed: name.Length),
            fx.PathFor(name + ".wav"), "-ar", parts.Length > 1 ? parts[1] : "8000", "-c:a", parts[0]);

        var a = await fx.Analyzer.AnalyzeAsync(call.Path);

        output.WriteLine(AssertMatchesTruth(call, a, fx.Options));
    }

    [Theory]
    [InlineData(-35.0)]
    [InlineData(-25.0)]
    public async Task AnalyzeAsync_ShouldNotTakeEchoForSpeech_WhenEachSideLeaksIntoTheOther(double echoDb)
    {
        var call = await SyntheticCall.RenderAsync(new CallScript(Conversation, 1.5, 3.0, -50, EchoDb: echoDb),
            fx.PathFor($"echo{-echoDb}.wav"), "-ar", "8000", "-c:a", "pcm_s16le");

        var a = await fx.Analyzer.AnalyzeAsync(call.Path);

        output.WriteLine(AssertMatchesTruth(call, a, fx.Options));
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldFindNoCustomerSpeech_WhenSilentCallCarriesOnlyAgentEcho()
    {
        // The silent-call protocol: the agent prompts twice, then closes; the customer line only echoes the agent.
        ScriptLine[] lines =
        [
            new(0, "您好，请问有什么可以帮您", 0),
            new(0, "您好，请问有什么可以帮您", 5.0),
            new(0, "对不起，您的电话没有声音，请您换一部电话再打来，再见", 5.0),
        ];
        var call = await SyntheticCall.RenderAsync(new CallScript(lines, 2.0, 3.0, -50, EchoDb: -30), fx.PathFor("silent.wav"), "-ar", "8000", "-c:a", "pcm_mulaw");

        var a = await fx.Analyzer.AnalyzeAsync(call.Path);

        Assert.DoesNotContain(a.Speech, s => s.Speaker == "customer");
        Assert.Equal(0, a.TalkRatio["customer"]);
        Assert.Empty(a.Overlaps);
        output.WriteLine(AssertMatchesTruth(call, a, fx.Options));
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldNotCountToneOrHoldMusicAsSpeech_WhenAgentPutsCallOnHold()
    {
        ScriptLine[] lines =
        [
            new(0, "您好，这里是客服热线，请问有什么可以帮您", 0),
            new(1, "我想查一下我的账单", 2.0),
            new(0, "好的，请您稍等，我帮您查一下", 0.5),
            new(0, "感谢您的耐心等待，您的账单已经寄出", 22.0),
            new(1, "好的谢谢", 1.0),
        ];
        // Probe the real lengths first so the hold sits exactly inside the 22 s gap.
        var holdStart = 1.5 + await Len(lines[0]) + 2.0 + await Len(lines[1]) + 0.5 + await Len(lines[2]) + 1.0;
        ScriptSound[] sounds = [new(0, holdStart, holdStart + 9, Music: false), new(0, holdStart + 10, holdStart + 20, Music: true)];
        var call = await SyntheticCall.RenderAsync(new CallScript(lines, 1.5, 3.0, -45, sounds), fx.PathFor("hold.wav"), "-ar", "8000", "-c:a", "pcm_s16le");

        var a = await fx.Analyzer.AnalyzeAsync(call.Path);

        Assert.DoesNotContain(a.Speech, s => s.End > holdStart + 0.5 && s.Start < holdStart + 19.5);
        output.WriteLine(AssertMatchesTruth(call, a, fx.Options));
        Assert.Contains(a.Silences, s => s.End - s.Start > 20);

        static async Task<double> Len(ScriptLine l) => (await SyntheticCall.SpeakAsync(l.Text, l.Channel)).Length / 16000.0;
    }

    [Fact]
    public async Task AnalyzeAsync_ShouldFollowSourceMapping_WhenRecorderPutsAgentOnTheRight()
    {
        var call = await SyntheticCall.RenderAsync(new CallScript(Conversation[..4], 1.0, 2.0, -50), fx.PathFor("swapped.wav"), "-ar", "8000", "-c:a", "pcm_s16le");
        var options = new AudioOptions
        {
            VadModelPath = fx.Options.VadModelPath,
            Sources = { ["recorder-b"] = new AudioSourceOptions { Channels = ["customer", "agent"] } },
        };
        using var analyzer = new AudioAnalyzer(options);

        var a = await analyzer.AnalyzeAsync(call.Path, "recorder-b");

        var firstTruth = call.Speech[0];
        var first = a.Speech.OrderBy(s => s.Start).First();
        Assert.Equal("customer", first.Speaker);
        Assert.InRange(first.Start, firstTruth.Start - Tolerance, firstTruth.Start + Tolerance);
    }

    internal static string AssertMatchesTruth(RenderedCall call, AudioAnalysis a, AudioOptions options)
    {
        string SpeakerOf(int channel) => channel == 0 ? "agent" : "customer";
        Assert.Equal(call.DurationSec, a.DurationSec, 1);

        // Speech: every utterance found on its own side with both boundaries within tolerance; nothing invented.
        var errors = new List<double>();
        var signed = new List<string>();
        foreach (var t in call.Speech)
        {
            var found = a.Speech.Where(s => s.Speaker == SpeakerOf(t.Channel) && s.End > t.Start && s.Start < t.End).ToList();
            Assert.True(found.Count > 0, $"no speech found for {SpeakerOf(t.Channel)} {t.Start:F2}–{t.End:F2}");
            errors.Add(Math.Abs(found.Min(s => s.Start) - t.Start));
            errors.Add(Math.Abs(found.Max(s => s.End) - t.End));
            signed.Add($"{found.Min(s => s.Start) - t.Start:+0.00;-0.00}/{found.Max(s => s.End) - t.End:+0.00;-0.00}");
            Assert.True(Math.Abs(found.Min(s => s.Start) - t.Start) <= Tolerance, $"start {found.Min(s => s.Start):F2} vs true {t.Start:F2}");
            Assert.True(Math.Abs(found.Max(s => s.End) - t.End) <= Tolerance, $"end {found.Max(s => s.End):F2} vs true {t.End:F2}");
        }
        foreach (var s in a.Speech)
            Assert.True(call.Speech.Any(t => SpeakerOf(t.Channel) == s.Speaker && s.End > t.Start - Tolerance && s.Start < t.End + Tolerance),
                $"speech {s.Speaker} {s.Start:F2}–{s.End:F2} where none was placed");

        // Silences: gaps in which nobody speaks, including lead-in and tail.
        // A gap whose true length is within ±2 × tolerance of the reporting minimum may fairly go either way: it
        // is left out of the score (a "collar"), together with any detection matching it.
        var gaps = IntervalScore.Gaps(call.Speech.Select(t => (t.Start, t.End)), call.DurationSec, options.MinSilenceSec - 2 * Tolerance);
        var trueSilences = gaps.Where(g => g.End - g.Start >= options.MinSilenceSec + 2 * Tolerance).ToList();
        var ambiguous = gaps.Except(trueSilences).ToList();
        var foundSilences = a.Silences.Select(s => (s.Start, s.End))
            .Where(f => !ambiguous.Any(g => IntervalScore.Iou(g, f) >= 0.5)).ToList();
        var silenceF1 = IntervalScore.F1(trueSilences, foundSilences).F1;
        Assert.True(silenceF1 >= 0.95, $"silence F1 {silenceF1:F2}: true [{Show(trueSilences)}] found [{Show(a.Silences.Select(s => (s.Start, s.End)))}]");

        // Overlaps: both sides talking; the interrupter is the one who started second.
        var trueOverlaps = new List<(double Start, double End, string Interrupter)>();
        foreach (var x in call.Speech)
            foreach (var y in call.Speech.Where(y => y.Channel != x.Channel && y.Start > x.Start && y.Start < x.End))
                if (Math.Min(x.End, y.End) - y.Start >= options.MinOverlapSec) trueOverlaps.Add((y.Start, Math.Min(x.End, y.End), SpeakerOf(y.Channel)));
        var overlapF1 = IntervalScore.F1(trueOverlaps.Select(o => (o.Start, o.End)).ToList(), a.Overlaps.Select(o => (o.Start, o.End)).ToList()).F1;
        Assert.True(overlapF1 >= 0.95, $"overlap F1 {overlapF1:F2}: true [{Show(trueOverlaps.Select(o => (o.Start, o.End)))}] found [{Show(a.Overlaps.Select(o => (o.Start, o.End)))}]");
        foreach (var o in trueOverlaps)
            Assert.Equal(o.Interrupter, a.Overlaps.First(f => IntervalScore.Iou((o.Start, o.End), (f.Start, f.End)) >= 0.5).Interrupter);
        return $"{Path.GetFileName(call.Path)}: {call.Speech.Count} utterances, boundary error mean {errors.Average():F3} s max {errors.Max():F3} s; " +
            $"silences {trueSilences.Count} F1 {silenceF1:F2}; overlaps {trueOverlaps.Count} F1 {overlapF1:F2}; start/end errors {string.Join(" ", signed)}";
    }

    private static string Show(IEnumerable<(double Start, double End)> xs) => string.Join(", ", xs.Select(x => $"{x.Start:F2}–{x.End:F2}"));
}
