using HotlineQA.TestSupport.Onnx;
using HotlineQA.Transcription;
using static HotlineQA.IntegrationTests.Transcription.MiniModel;

namespace HotlineQA.IntegrationTests.Transcription;

/// <summary>Long calls through the transcriber: chunking per channel, time mapping, speakers, silence, the guard.</summary>
public sealed class WhisperTranscriberTests
{
    private const int Rate = 16000;

    // Speech is a tone; everything the VAD called silence is NaN, which the front end refuses: if any silence
    // sample reached the model the call would fail.
    private static float[] Channel(double seconds, params (double Start, double End)[] speech)
    {
        var x = new float[(int)(seconds * Rate)];
        Array.Fill(x, float.NaN);
        foreach (var (s, e) in speech)
            for (var i = (int)(s * Rate); i < (int)(e * Rate); i++) x[i] = (float)(0.1 * Math.Sin(2 * Math.PI * 300 * i / Rate));
        return x;
    }

    private static readonly int[] Hello = Text("您好");

    // Every window says: <|0.00|>您好<|1.00|>
    private static MiniWhisperScript Script() => new MiniWhisperScript().Emit([Ts(0), .. Hello, Ts(1.0)]);

    [Fact]
    public async Task Transcribe_ShouldDecodeOnlySpeechAndMapTimesBack_WhenSpeechIsSpreadOverALongCall()
    {
        using var m = new MiniModel(Script());
        var o = Options(m.Folder);
        o.ConditionOnPreviousText = false;
        using var t = new WhisperTranscriber(o);
        // 20 s + 15 s of speech cannot share a window: two chunks; the 60 s of silence between is never decoded.
        var agent = Channel(120, (10, 30), (90, 105));
        // The customer's 3 s regions fit together: one chunk with the 40 s gap shrunk to 0.3 s.
        var customer = Channel(120, (40, 43), (83, 86));

        var tr = await t.TranscribeChannelsAsync("call1", [ChannelAudio.FromSamples("agent", agent, [(10, 30), (90, 105)]), ChannelAudio.FromSamples("customer", customer, [(40, 43), (83, 86)])], 120);

        Assert.Equal(3, t.Stats!.Windows);
        Assert.Equal(3, tr.Utterances.Count);
        Assert.Equal(("agent", 10.0, 11.0), (tr.Utterances[0].Speaker, tr.Utterances[0].Start, tr.Utterances[0].End));
        Assert.Equal(("customer", 40.0, 41.0), (tr.Utterances[1].Speaker, tr.Utterances[1].Start, tr.Utterances[1].End));
        Assert.Equal(("agent", 90.0, 91.0), (tr.Utterances[2].Speaker, tr.Utterances[2].Start, tr.Utterances[2].End));
        Assert.All(tr.Utterances, u => Assert.Equal("您好", u.Text));
        Assert.All(tr.Utterances, u => Assert.InRange(u.Confidence!.Value, 0.99, 1.0));
        Assert.Equal([("agent", 10.0, 30.0), ("agent", 90.0, 105.0), ("customer", 40.0, 43.0), ("customer", 83.0, 86.0)], t.Stats.Decoded);
        Assert.Equal(2, tr.Channels);
        Assert.Equal("zh", tr.Language);
    }

    [Fact]
    public async Task Transcribe_ShouldMapChunkTimeAcrossGluedRegions_WhenATimestampFallsInTheSecondRegion()
    {
        // <|0.00|>您好<|1.00|><|3.30|>您好<|4.00|>: the second segment starts 0.3 s into the second region (3 s + 0.3 s gap).
        var script = new MiniWhisperScript().Emit([Ts(0), .. Hello, Ts(1.0), Ts(3.3), .. Hello, Ts(4.0)]);
        using var m = new MiniModel(script);
        using var t = new WhisperTranscriber(Options(m.Folder));
        var pcm = Channel(60, (5, 8), (50, 53));

        var tr = await t.TranscribeChannelsAsync("c", [ChannelAudio.FromSamples("customer", pcm, [(5, 8), (50, 53)])], 60);

        Assert.Equal(1, t.Stats!.Windows);
        Assert.Equal([(5.0, 6.0), (50.0, 50.7)], tr.Utterances.Select(u => (u.Start, u.End)));
    }

    [Fact]
    public async Task Transcribe_ShouldSplitARegionLongerThan30s_WhenOneSpeakerTalksOnAndOn()
    {
        using var m = new MiniModel(Script());
        var o = Options(m.Folder);
        o.ConditionOnPreviousText = false;
        using var t = new WhisperTranscriber(o);
        var pcm = Channel(80, (2, 72));

        var tr = await t.TranscribeChannelsAsync("c", [ChannelAudio.FromSamples("agent", pcm, [(2, 72)])], 80);

        Assert.Equal(3, t.Stats!.Windows); // 30 + 30 + 10 s
        Assert.Equal([2.0, 32.0, 62.0], tr.Utterances.Select(u => u.Start));
    }

    [Fact]
    public async Task Transcribe_ShouldConditionEachWindowOnTheSameSpeakersPreviousText_WhenEnabled()
    {
        using var m = new MiniModel(Script());
        var o = Options(m.Folder);
        using var t = new WhisperTranscriber(o);
        var a = Channel(100, (0, 20), (60, 80));
        var c = Channel(100, (30, 40));

        await t.TranscribeChannelsAsync("c", [ChannelAudio.FromSamples("agent", a, [(0, 20), (60, 80)]), ChannelAudio.FromSamples("customer", c, [(30, 40)])], 100, recordCalls: true);

        var firstCalls = t.Stats!.Calls.Where(k => !k.UseCacheBranch).Select(k => k.InputLength).ToList();
        // agent window 1: bare prompt; agent window 2: <|startofprev|> 您好 + prompt; customer: bare prompt again.
        Assert.Equal([3, 1 + Hello.Length + 3, 3], firstCalls);
    }

    [Fact]
    public async Task Transcribe_ShouldDropPhantomPhrasesAndConvertToSimplified_WhenTheModelSaysThem()
    {
        var amara = Text("字幕由Amara.org社群提供");
        var traditional = Text("請問您的電話號碼");
        var script = new MiniWhisperScript().Emit([Ts(0), .. amara, Ts(1.0), Ts(1.0), .. traditional, Ts(2.0)]);
        using var m = new MiniModel(script);
        using var t = new WhisperTranscriber(Options(m.Folder));

        var tr = await t.TranscribeChannelsAsync("c", [ChannelAudio.FromSamples("agent", Channel(10, (0, 5)), [(0, 5)])], 10);

        var u = Assert.Single(tr.Utterances);
        Assert.Equal("请问您的电话号码", u.Text);
        Assert.Equal((1.0, 2.0), (u.Start, u.End));
    }

    [Fact]
    public async Task Transcribe_ShouldDecodeNothing_WhenAChannelHasNoSpeech()
    {
        using var m = new MiniModel(Script());
        using var t = new WhisperTranscriber(Options(m.Folder));

        var tr = await t.TranscribeChannelsAsync("c", [ChannelAudio.FromSamples("customer", Channel(30), [])], 30);

        Assert.Empty(tr.Utterances);
        Assert.Equal(0, t.Stats!.Windows);
    }

    [Fact]
    public async Task Unavailable_ShouldNameTheFolderAndMissingFiles_WhenTheModelIsIncomplete()
    {
        using var m = new MiniModel(Script());
        File.Delete(Path.Combine(m.Folder, "onnx", "decoder_model_merged.onnx"));
        File.WriteAllText(Path.Combine(m.Folder, "onnx", "decoder_model_merged.onnx.part"), "x");
        using var t = new WhisperTranscriber(Options(m.Folder));

        var why = t.Unavailable;

        Assert.NotNull(why);
        Assert.Contains(m.Folder, why);
        Assert.Contains("onnx/decoder_model_merged.onnx", why);
        Assert.Contains("unfinished downloads", why);
        var e = await Assert.ThrowsAsync<WhisperModelException>(() => t.TranscribeChannelsAsync("c", [ChannelAudio.FromSamples("agent", Channel(5, (0, 2)), [(0, 2)])], 5));
        Assert.Equal(why, e.Message);
    }

    [Fact]
    public async Task Transcribe_ShouldReadTheChannelOnceAndStopAfterTheLastRegion_WhenTheStreamIsEndless()
    {
        using var m = new MiniModel(Script());
        using var t = new WhisperTranscriber(Options(m.Folder));
        var blocksRead = 0;
        async IAsyncEnumerable<float[]> Endless([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            for (var i = 0; ; i++)
            {
                blocksRead++;
                yield return Enumerable.Range(0, Rate).Select(k => (float)(0.1 * Math.Sin((i * Rate + k) * 0.1))).ToArray(); // 1 s blocks
                await Task.Yield();
            }
        }

        var tr = await t.TranscribeChannelsAsync("c", [new ChannelAudio("agent", [(2, 4), (6.5, 8)], Endless)], 3600);

        Assert.Equal(1, t.Stats!.Windows);
        Assert.Equal(8, blocksRead); // blocks 0–7 cover 0–8 s; nothing after the last region is read
        Assert.Equal(2.0, Assert.Single(tr.Utterances).Start);
    }

    [Fact]
    public async Task Transcribe_ShouldDecodeWhatThereIs_WhenTheAudioEndsBeforeTheLastRegion()
    {
        using var m = new MiniModel(Script());
        using var t = new WhisperTranscriber(Options(m.Folder));
        var shortAudio = Channel(5, (0, 5));

        // The timeline claims speech up to 12 s, the decoded audio stops at 5 s (a truncated file).
        var tr = await t.TranscribeChannelsAsync("c", [ChannelAudio.FromSamples("customer", shortAudio, [(1, 12)])], 12);

        Assert.Equal(1, t.Stats!.Windows);
        Assert.Equal(("customer", 1.0, 2.0), (tr.Utterances[0].Speaker, tr.Utterances[0].Start, tr.Utterances[0].End));
    }

    [Fact]
    public async Task Transcribe_ShouldKeepARepeatedSentenceTwiceAtMost_WhenTheModelLoopsOverSegments()
    {
        var again = Text("请稍等");
        var script = new MiniWhisperScript();
        for (var i = 0; i < 5; i++) script.Emit([Ts(i * 1.0), .. again, Ts(i * 1.0 + 0.8)]);
        using var m = new MiniModel(script);
        var o = Options(m.Folder);
        o.CompressionRatioThreshold = 100; // let the loop through the fallback to reach the guard
        using var t = new WhisperTranscriber(o);

        var tr = await t.TranscribeChannelsAsync("c", [ChannelAudio.FromSamples("agent", Channel(10, (0, 6)), [(0, 6)])], 10);

        Assert.Equal([0.0, 1.0], tr.Utterances.Select(u => u.Start));
        Assert.All(tr.Utterances, u => Assert.Equal("请稍等", u.Text));
    }
}
