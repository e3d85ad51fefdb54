using System.Collections.Concurrent;

namespace HotlineQA.TestSupport.Audio;

/// <summary>One utterance of a generated call: who, what, and the gap after the previous utterance ends (negative = overlap).</summary>
public sealed record ScriptLine(int Channel, string Text, double GapAfterPrevious);

/// <summary>A non-speech sound placed on one channel: a steady tone or a little melody ("hold music").</summary>
public sealed record ScriptSound(int Channel, double Start, double End, bool Music);

/// <summary>A generated stereo call. Noise is white noise at <see cref="NoiseDbfs"/> RMS on both channels (null = none).</summary>
/// <see cref="EchoDb"/> leaks each side's speech into the other channel, 40 ms late and that many dB down
/// (line echo / crosstalk, as real stereo recorders capture it; null = none).
public sealed record CallScript(IReadOnlyList<ScriptLine> Lines, double LeadIn, double Tail, double? NoiseDbfs = -50,
    IReadOnlyList<ScriptSound>? Sounds = null, int Seed = 1, double? EchoDb = null);

/// <summary>Known truth of a generated call: speech extents per channel, in seconds.</summary>
public sealed record TrueSpeech(int Channel, double Start, double End);

public sealed record RenderedCall(string Path, double DurationSec, IReadOnlyList<TrueSpeech> Speech);

/// <summary>
/// Renders calls with known timing from espeak-ng Mandarin utterances. Each utterance is trimmed to its first and
/// last audible sample, levelled to −20 dBFS RMS and placed on its channel, so the truth is exact.
/// </summary>
public static class SyntheticCall
{
    private static readonly ConcurrentDictionary<(string, int), Task<float[]>> Voices = new();

    public static async Task<RenderedCall> RenderAsync(CallScript script, string outPath, params string[] outputArgs)
    {
        AudioTools.RequireFfmpeg();
        AudioTools.RequireEspeak();
        var clips = new List<(ScriptLine Line, float[] Samples)>();
        foreach (var line in script.Lines) clips.Add((line, await SpeakAsync(line.Text, line.Channel)));

        const int rate = 16000;
        var truth = new List<TrueSpeech>();
        var t = script.LeadIn;
        var first = true;
        foreach (var (line, samples) in clips)
        {
            if (!first) t += line.GapAfterPrevious;
            first = false;
            var len = samples.Length / (double)rate;
            truth.Add(new TrueSpeech(line.Channel, Math.Round(t * rate) / rate, Math.Round(t * rate) / rate + len));
            t += len;
        }
        var end = Math.Max(truth.Max(s => s.End), script.Sounds?.Select(s => s.End).DefaultIfEmpty(0).Max() ?? 0) + script.Tail;
        var frames = (int)Math.Ceiling(end * rate);
        var pcm = new float[frames * 2];
        for (var i = 0; i < clips.Count; i++)
        {
            var at = (int)Math.Round(truth[i].Start * rate);
            var s = clips[i].Samples;
            for (var k = 0; k < s.Length; k++) pcm[(at + k) * 2 + clips[i].Line.Channel] += s[k];
        }
        if (script.EchoDb is { } echoDb)
        {
            var gain = (float)Math.Pow(10, echoDb / 20);
            var delay = (int)(0.04 * rate);
            for (var i = 0; i < clips.Count; i++)
            {
                var at = (int)Math.Round(truth[i].Start * rate) + delay;
                var other = 1 - clips[i].Line.Channel;
                var s = clips[i].Samples;
                for (var k = 0; k < s.Length && at + k < frames; k++) pcm[(at + k) * 2 + other] += gain * s[k];
            }
        }
        foreach (var sound in script.Sounds ?? [])
        {
            var from = (int)(sound.Start * rate);
            var to = Math.Min(frames, (int)(sound.End * rate));
            for (var k = from; k < to; k++)
            {
                var sec = (double)(k - from) / rate;
                double v;
                if (sound.Music)
                {
                    // A plain melody with two harmonics, a new note every 0.4 s: music-like, not speech.
                    double[] notes = [261.6, 329.6, 392.0, 523.3, 392.0, 329.6];
                    var f = notes[(int)(sec / 0.4) % notes.Length];
                    v = 0.6 * Math.Sin(2 * Math.PI * f * sec) + 0.25 * Math.Sin(4 * Math.PI * f * sec) + 0.1 * Math.Sin(6 * Math.PI * f * sec);
                }
                else
                {
                    v = Math.Sin(2 * Math.PI * 440 * sec);
                }
                pcm[k * 2 + sound.Channel] += (float)(0.14 * v);
            }
        }
        if (script.NoiseDbfs is { } noiseDb)
        {
            var rng = new Random(script.Seed);
            var sigma = Math.Pow(10, noiseDb / 20);
            for (var k = 0; k < pcm.Length; k++)
            {
                // Box–Muller: Gaussian white noise of the requested RMS.
                var g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                pcm[k] += (float)(sigma * g);
            }
        }
        await AudioTools.EncodeAsync(pcm, 2, outPath, outputArgs);
        return new RenderedCall(outPath, (double)frames / rate, truth);
    }

    /// <summary>An espeak-ng Mandarin utterance (male voice on channel 0, female on 1), trimmed and levelled.</summary>
    public static Task<float[]> SpeakAsync(string text, int channel) => Voices.GetOrAdd((text, channel), async key =>
    {
        var voice = key.Item2 == 0 ? "cmn-latn-pinyin" : "cmn-latn-pinyin+f3";
        var wav = Path.Combine(Path.GetTempPath(), $"hqa-espeak-{Guid.NewGuid():N}.wav");
        try
        {
            await AudioTools.RunAsync("espeak-ng", ["-v", voice, "-s", "165", "-w", wav, key.Item1]);
            var x = await AudioTools.DecodeMono16kAsync(wav);
            var firstLoud = Array.FindIndex(x, v => Math.Abs(v) > 0.01f);
            var lastLoud = Array.FindLastIndex(x, v => Math.Abs(v) > 0.01f);
            var trimmed = x[firstLoud..(lastLoud + 1)];
            var rms = Math.Sqrt(trimmed.Average(v => (double)v * v));
            var gain = (float)(0.1 / rms);
            for (var i = 0; i < trimmed.Length; i++) trimmed[i] *= gain;
            return trimmed;
        }
        finally
        {
            File.Delete(wav);
        }
    });
}
