using HotlineQA.TestSupport.Whisper;
using HotlineQA.Transcription;
using static HotlineQA.IntegrationTests.Transcription.GgmlModels;

namespace HotlineQA.IntegrationTests.Transcription;

/// <summary>
/// The transcriber on Whisper.net with a generated ggml model (random weights, small dimensions; whisper.cpp's real
/// vocabulary and mel filters): chunking per channel, time mapping, speakers, silence, parallel calls, cancellation,
/// and every way the model can be missing or wrong.
/// </summary>
public sealed class WhisperTranscriberTests
{
    private const int Rate = 16000;

    /// <summary>Speech is a two-tone signal; silence is digital zero.</summary>
    private static float[] Channel(double seconds, params (double Start, double End)[] speech)
    {
        var x = new float[(int)(seconds * Rate)];
        foreach (var (s, e) in speech)
            for (var i = (int)(s * Rate); i < (int)(e * Rate); i++) x[i] = (float)(0.1 * Math.Sin(2 * Math.PI * 300 * i / Rate) + 0.05 * Math.Sin(2 * Math.PI * 1130 * i / Rate));
        return x;
    }

    private static readonly (double, double)[] AgentSpeech = [(10, 30), (90, 105)];
    private static readonly (double, double)[] CustomerSpeech = [(40, 43), (83, 86)];

    private static ChannelAudio[] Call() =>
    [
        ChannelAudio.FromSamples("agent", Channel(120, AgentSpeech), AgentSpeech),
        ChannelAudio.FromSamples("customer", Channel(120, CustomerSpeech), CustomerSpeech),
    ];

    [Fact]
    public async Task TranscribeChannels_ShouldDecodeOnlySpeechChunksAndKeepTimesInsideThem_WhenSpeechIsSpreadOverALongCall()
    {
        using var t = new WhisperTranscriber(Options(SmallDims));

        var tr = await t.TranscribeChannelsAsync("call1", Call(), 120);

        // 20 s + 15 s of agent speech cannot share a window: two chunks; the customer's two 3 s regions fit in one.
        Assert.Equal(3, t.Stats.Chunks);
        // Exactly the speech regions went to whisper.cpp: not one second of the silence between them.
        Assert.Equal([("agent", 10.0, 30.0), ("agent", 90.0, 105.0), ("customer", 40.0, 43.0), ("customer", 83.0, 86.0)],
            t.Stats.Decoded.OrderBy(d => d.Speaker, StringComparer.Ordinal).ThenBy(d => d.Start));
        Assert.True(t.Stats.Tokens > 0);
        // Every chunk gave at least one utterance (the model is seeded: its output is the same on every run), each
        // labelled with its channel's speaker and lying inside that speaker's chunk, in call time.
        (string Speaker, double From, double To)[] chunks = [("agent", 10, 30), ("agent", 90, 105), ("customer", 40, 86)];
        Assert.All(chunks, c => Assert.Contains(tr.Utterances, u => u.Speaker == c.Speaker && u.Start >= c.From && u.End <= c.To));
        Assert.All(tr.Utterances, u => Assert.Contains(chunks, c => c.Speaker == u.Speaker && u.Start >= c.From && u.End <= c.To && u.Start <= u.End));
        // Start times fall in speech, never in the silence between regions.
        var regions = AgentSpeech.Select(r => ("agent", r)).Concat(CustomerSpeech.Select(r => ("customer", r))).ToList();
        Assert.All(tr.Utterances, u => Assert.Contains(regions, r => r.Item1 == u.Speaker && u.Start >= r.r.Item1 && u.Start <= r.r.Item2));
        Assert.All(tr.Utterances, u => Assert.InRange(u.Confidence!.Value, 0, 1));
        Assert.Equal(tr.Utterances.OrderBy(u => u.Start).Select(u => u.Start), tr.Utterances.Select(u => u.Start));
        Assert.Equal(2, tr.Channels);
        Assert.Equal("zh", tr.Language);
        tr.Validate("test");
    }

    [Fact]
    public async Task TranscribeChannels_ShouldDecodeNothing_WhenAChannelHasNoSpeech()
    {
        using var t = new WhisperTranscriber(Options(SmallDims));

        var tr = await t.TranscribeChannelsAsync("quiet", [ChannelAudio.FromSamples("agent", Channel(60), [])], 60);

        Assert.Empty(tr.Utterances);
        Assert.Equal(0, t.Stats.Chunks);
        Assert.Empty(t.Stats.Decoded);
    }

    [Fact]
    public async Task TranscribeChannels_ShouldGiveEachCallTheSameTranscriptAsAlone_WhenSeveralRunAtOnceOnOneInstance()
    {
        using var alone = new WhisperTranscriber(Options(SmallDims));
        var expected = await alone.TranscribeChannelsAsync("call", Call(), 120);
        using var shared = new WhisperTranscriber(Options(SmallDims, processors: 2));
        Assert.Equal(2, shared.Parallelism.Processors);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => shared.TranscribeChannelsAsync($"call{i}", Call(), 120))));

        Assert.All(results, r => Assert.Equal(expected.Utterances, r.Utterances));
        Assert.Equal(4 * 3, shared.Stats.Chunks);
    }

    [Fact]
    public async Task TranscribeChannels_ShouldDecodeBothChannelsAtOnceAndGiveTheSameTranscript_WhenTwoProcessorsServeOneCall()
    {
        using var one = new WhisperTranscriber(Options(SmallDims));
        var expected = await one.TranscribeChannelsAsync("call", Call(), 120);
        using var two = new WhisperTranscriber(Options(SmallDims, processors: 2));

        var tr = await two.TranscribeChannelsAsync("call", Call(), 120);

        Assert.Equal(expected.Utterances, tr.Utterances);
        Assert.Equal(expected.Language, tr.Language);
        Assert.Equal(1, one.Stats.MaxConcurrentDecodes);
        // The agent's and the customer's chunks were inside whisper.cpp at the same moment.
        Assert.Equal(2, two.Stats.MaxConcurrentDecodes);
        var d = two.Stats.Decodes.OrderBy(x => x.Start).ToList();
        Assert.Contains(d.Skip(1), b => d.Any(a => a != b && a.Start <= b.Start && b.Start < a.End));
        // Each chunk is at least one whisper.cpp window (encoder run).
        Assert.True(two.Stats.EncoderRuns >= two.Stats.Chunks, $"{two.Stats.EncoderRuns} encoder runs for {two.Stats.Chunks} chunks");
    }

    [Fact]
    public async Task TranscribeChannels_ShouldStopAndStayUsable_WhenCancelled()
    {
        using var t = new WhisperTranscriber(Options(SmallDims));
        using var cts = new CancellationTokenSource();
        // A channel whose audio stream cancels the call once the first chunk has been handed out.
        var agent = Channel(120, AgentSpeech);
        async IAsyncEnumerable<float[]> Blocks([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            for (var i = 0; i < agent.Length; i += Rate * 10)
            {
                if (i >= 60 * Rate) await cts.CancelAsync();
                ct.ThrowIfCancellationRequested();
                yield return agent[i..Math.Min(agent.Length, i + Rate * 10)];
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            t.TranscribeChannelsAsync("c", [new ChannelAudio("agent", AgentSpeech, Blocks)], 120, cts.Token));

        // The second chunk (90–105 s) was never decoded; the processor went back to the pool.
        Assert.DoesNotContain(t.Stats.Decoded, d => d.Start >= 90);
        var after = await t.TranscribeChannelsAsync("c2", Call(), 120);
        Assert.NotEmpty(after.Utterances);
    }

    [Fact]
    public async Task TranscribeChannels_ShouldCancelADecodeInProgress_WhenTheTokenFires()
    {
        using var t = new WhisperTranscriber(Options(SmallDims));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var many = Enumerable.Range(0, 20).Select(i => ((double)i * 31, (double)i * 31 + 29)).ToArray();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            t.TranscribeChannelsAsync("long", [ChannelAudio.FromSamples("agent", Channel(20 * 31, many), many)], 20 * 31, cts.Token));

        Assert.True(t.Stats.Chunks < 20, $"{t.Stats.Chunks} chunks decoded after cancellation");
    }

    [Fact]
    public async Task Dispose_ShouldWaitForTheNativeRunToStop_WhenACancelledDecodeIsStillRunning()
    {
        // Whisper.net's enumeration ends at once on cancellation while whisper.cpp is still on its thread; disposing
        // the transcriber right then used to throw "Cannot dispose while processing" (a CI failure).
        var many = Enumerable.Range(0, 4).Select(i => ((double)i * 31, (double)i * 31 + 29)).ToArray();
        var audio = Channel(4 * 31, many);
        foreach (var delay in new[] { 5, 20, 40, 80, 160 })
        {
            var t = new WhisperTranscriber(Options(SmallDims));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(delay));
            try { await t.TranscribeChannelsAsync("long", [ChannelAudio.FromSamples("agent", audio, many)], 4 * 31, cts.Token); }
            catch (OperationCanceledException) { }
            t.Dispose();
            await t.DisposeAsync(); // twice is harmless
        }
    }

    [Fact]
    public async Task Transcriber_ShouldDecodeAgain_AfterACancelledDecode()
    {
        using var t = new WhisperTranscriber(Options(SmallDims));
        var many = Enumerable.Range(0, 4).Select(i => ((double)i * 31, (double)i * 31 + 29)).ToArray();
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(30)))
        {
            try { await t.TranscribeChannelsAsync("long", [ChannelAudio.FromSamples("agent", Channel(4 * 31, many), many)], 4 * 31, cts.Token); }
            catch (OperationCanceledException) { }
        }
        var after = await t.TranscribeChannelsAsync("c2", Call(), 120);
        Assert.NotEmpty(after.Utterances);
    }

    [Fact]
    public async Task Transcriber_ShouldNameTheFileAndThePullCommand_WhenTheModelIsMissing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "hotlineqa-no-model-" + Guid.NewGuid().ToString("N"), "ggml-base.bin");
        using var t = new WhisperTranscriber(Options(missing));

        Assert.Contains(missing, t.Unavailable);
        Assert.Contains("hotlineqa models pull whisper-base", t.Unavailable);
        var e = await Assert.ThrowsAsync<WhisperModelException>(() => t.TranscribeChannelsAsync("c", Call(), 120));
        Assert.Contains(missing, e.Message);
    }

    [Theory]
    [InlineData(GgmlWeights.Q8_0, 34)]
    [InlineData(GgmlWeights.Q5_0, 22)]
    public async Task Transcriber_ShouldLoadAndDecodeAQuantisedModel_WhenItsMatricesAreQ8OrQ5(GgmlWeights weights, int bytesPerBlock)
    {
        var dir = Path.Combine(Path.GetTempPath(), "hotlineqa-ggml-quant-" + Guid.NewGuid().ToString("N"));
        try
        {
            var f16 = GgmlModel.Write(Path.Combine(dir, "ggml-f16.bin"), GgmlDims.Small, seed: 7);
            var quant = GgmlModel.Write(Path.Combine(dir, $"ggml-{weights}.bin"), GgmlDims.Small, seed: 7, weights: weights);
            // The token embedding (64 × 51,865) dominates: F16 2 bytes per value, quantised bytesPerBlock per 32.
            var saved = 64L * 51865 * (2 - bytesPerBlock / 32.0);
            Assert.InRange(new FileInfo(f16).Length - new FileInfo(quant).Length, saved * 0.95, saved * 1.3);
            Assert.Null(WhisperModelFile.CheckLayout(quant));
            using var t = new WhisperTranscriber(Options(quant));

            // whisper.cpp checks every tensor's type and size against the header's ftype: a wrong layout is refused here.
            var tr = await t.TranscribeChannelsAsync("q", Call(), 120);

            Assert.Equal(3, t.Stats.Chunks);
            Assert.True(t.Stats.EncoderRuns >= 3, $"{t.Stats.EncoderRuns} encoder runs");
            Assert.All(tr.Utterances, u => Assert.InRange(u.Start, 10, 105));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task Transcriber_ShouldRefuseTheFileBeforeWhisperCpp_WhenItIsNotAGgmlModel()
    {
        var garbage = Garbage("ggml-base.bin", "this is not a model at all"u8.ToArray());
        using var t = new WhisperTranscriber(Options(garbage));

        Assert.Contains(garbage, t.Unavailable);
        Assert.Contains("not a ggml model", t.Unavailable);
        await Assert.ThrowsAsync<WhisperModelException>(() => t.TranscribeChannelsAsync("c", Call(), 120));
    }

    [Theory]
    [InlineData(1000, "ends inside its mel filters")]
    [InlineData(70_000, "ends inside its vocabulary")]
    [InlineData(30, "ends inside its header")]
    [InlineData(-5000, "ends inside tensor 'decoder.blocks.0.mlp.2.weight'")]
    public async Task Transcriber_ShouldRefuseATruncatedModelBeforeWhisperCpp_WhenADownloadStoppedHalfway(int keep, string why)
    {
        // whisper.cpp reads past the end of a truncated file and aborts the process: the file is checked first.
        var full = File.ReadAllBytes(SmallDims);
        var truncated = Garbage("ggml-cut.bin", full[..(keep > 0 ? keep : full.Length + keep)]);
        using var t = new WhisperTranscriber(Options(truncated));

        Assert.Contains(truncated, t.Unavailable);
        Assert.Contains(why, t.Unavailable);
        Assert.Contains("hotlineqa models pull", t.Unavailable);
        await Assert.ThrowsAsync<WhisperModelException>(() => t.TranscribeChannelsAsync("c", Call(), 120));
    }

    [Fact]
    public async Task Transcriber_ShouldReportThatWhisperCppCannotLoadIt_WhenTheTensorsDoNotMatchTheHeader()
    {
        // A well-formed file whose header claims 128-wide audio layers while its tensors are 64 wide.
        var bytes = File.ReadAllBytes(SmallDims);
        BitConverter.GetBytes(128).CopyTo(bytes, 4 + 2 * 4);
        var wrong = Garbage("ggml-wrong.bin", bytes);
        using var t = new WhisperTranscriber(Options(wrong));
        Assert.Null(t.Unavailable); // laid out correctly: only whisper.cpp can tell

        var e = await Assert.ThrowsAsync<WhisperModelException>(() => t.TranscribeChannelsAsync("c", Call(), 120));

        Assert.Contains(wrong, e.Message);
        Assert.Contains("cannot be loaded", e.Message);
        Assert.Contains("hotlineqa models pull", e.Message);
    }

    [Fact]
    public void Transcriber_ShouldFindTheModelInAFolder_WhenTheFolderHoldsOneGgmlFile()
    {
        using var t = new WhisperTranscriber(Options(Path.GetDirectoryName(SmallDims)!));

        // The shared folder holds exactly one ggml-*.bin (garbage files live in folders of their own).
        Assert.Null(t.Unavailable);
        Assert.Equal(SmallDims, WhisperModelFile.Resolve(Path.GetDirectoryName(SmallDims)!, out _));
    }
}
