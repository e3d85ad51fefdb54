using System.Text;
using System.Text.Json;
using HotlineQA.Common;
using HotlineQA.Transcription;
using WaveFileWriter = NAudio.Wave.WaveFileWriter;
using WaveFormat = NAudio.Wave.WaveFormat;

namespace HotlineQA.Host.Demo;

/// <summary>What the generator wrote: the rendered calls (each with its sidecar) and the deliberately broken files.</summary>
public sealed record GeneratedSamples(IReadOnlyList<string> Calls, IReadOnlyList<string> BrokenFiles);

/// <summary>Renders <see cref="SampleCallScripts"/> to stereo 16 kHz WAV (agent left, customer right) with a sidecar
/// transcript (CONTRACTS §1) whose times are those of the rendered speech, plus broken files that must fail ingest.</summary>
public sealed class SampleCallGenerator(SpeechRenderer renderer)
{
    private const int Rate = SpeechRenderer.SampleRate;

    /// <summary>Quiet lines simulate a customer on a poor line (about a fifth of normal loudness).</summary>
    private const int QuietAmplitude = 20;

    /// <summary>Sample calls "took place" on one fixed morning (China time), so regenerated files are byte-identical.</summary>
    private static readonly DateTimeOffset FirstCallAt = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));

    public async Task<GeneratedSamples> GenerateAsync(string directory, IReadOnlyList<CallScript>? scripts = null,
        bool includeBroken = true, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        var calls = new List<string>();
        var all = scripts ?? SampleCallScripts.All;
        foreach (var script in all)
        {
            var (wav, transcript) = await RenderCallAsync(script, ct);
            var wavPath = Path.Combine(directory, script.Name + ".wav");
            await File.WriteAllBytesAsync(wavPath, wav, ct);
            await File.WriteAllTextAsync(Path.Combine(directory, script.Name + ".transcript.json"),
                JsonSerializer.Serialize(transcript, HotlineJson.Indented) + "\n", new UTF8Encoding(false), ct);
            // name.meta.json: the agent, queue and start time ingest records for the call.
            var meta = new { agent = script.Agent, queue = script.Queue, startedAt = FirstCallAt.AddMinutes(23 * IndexOf(script)) };
            await File.WriteAllTextAsync(Path.Combine(directory, script.Name + ".meta.json"),
                JsonSerializer.Serialize(meta, HotlineJson.Indented) + "\n", new UTF8Encoding(false), ct);
            calls.Add(wavPath);
        }
        var broken = includeBroken ? await WriteBrokenAsync(directory, ct) : [];
        return new GeneratedSamples(calls, broken);
    }

    internal async Task<(byte[] Wav, Transcript Transcript)> RenderCallAsync(CallScript script, CancellationToken ct)
    {
        var placed = new List<(ScriptLine Line, int Start, short[] Pcm)>();
        var cursor = (int)(script.LeadSec * Rate);
        int? previousStart = null;
        foreach (var line in script.Lines)
        {
            var voice = line.Speaker == Speakers.Agent ? SpeechRenderer.Agent : SpeechRenderer.Customer;
            if (line.Quiet) voice = voice with { Amplitude = QuietAmplitude };
            var pcm = await renderer.RenderAsync(line.Text, voice, ct);
            if (pcm.Length == 0) throw new InvalidOperationException($"{script.Name}: espeak-ng rendered no audio for a line");
            var start = cursor + (int)Math.Round(line.Gap * Rate);
            // An interruption must still start after the line it interrupts has begun.
            if (previousStart is { } ps && start <= ps)
                throw new InvalidOperationException($"{script.Name}: a line's overlap ({line.Gap} s) reaches back past the start of the previous line");
            placed.Add((line, start, pcm));
            previousStart = start;
            cursor = start + pcm.Length;
        }
        var total = placed.Max(p => p.Start + p.Pcm.Length) + (int)(script.TailSec * Rate);
        var interleaved = new short[total * 2];
        foreach (var (line, start, pcm) in placed)
        {
            var channel = line.Speaker == Speakers.Agent ? 0 : 1;
            for (var i = 0; i < pcm.Length; i++)
            {
                ref var s = ref interleaved[(start + i) * 2 + channel];
                s = (short)Math.Clamp(s + pcm[i], short.MinValue, short.MaxValue);
            }
        }
        var transcript = new Transcript
        {
            CallId = script.Name,
            Language = "zh",
            DurationSec = Seconds(total),
            Channels = 2,
            Utterances = placed
                .OrderBy(p => p.Start)
                .Select(p => new Utterance { Speaker = p.Line.Speaker, Start = Seconds(p.Start), End = Seconds(p.Start + p.Pcm.Length), Text = p.Line.Text })
                .ToList(),
        };
        return (WavFile.Encode(interleaved, channels: 2, Rate), transcript);
    }

    private static int IndexOf(CallScript script)
    {
        var i = SampleCallScripts.All.ToList().FindIndex(s => s.Name == script.Name);
        return i < 0 ? 0 : i;
    }

    private static double Seconds(int samples) => Math.Round(samples / (double)Rate, 3);

    /// <summary>Files that look like recordings but are not: each must end as a failed call with a reason.</summary>
    internal static async Task<IReadOnlyList<string>> WriteBrokenAsync(string directory, CancellationToken ct)
    {
        // A header that promises 10 s of stereo audio, cut off inside its format chunk: no decoder can read it.
        var header = WavFile.Encode(new short[Rate * 2 * 10], channels: 2, Rate);
        var truncated = Path.Combine(directory, "90-broken-truncated.wav");
        await File.WriteAllBytesAsync(truncated, header[..30], ct);
        var empty = Path.Combine(directory, "91-broken-empty.wav");
        await File.WriteAllBytesAsync(empty, [], ct);
        var text = Path.Combine(directory, "92-broken-not-audio.wav");
        await File.WriteAllTextAsync(text, "This is a text file with a .wav name, not a recording.\n", ct);
        return [truncated, empty, text];
    }
}

/// <summary>16-bit PCM WAV encoding, written by NAudio's <see cref="WaveFileWriter"/> (RIFF/WAVE header, fmt and data
/// chunks, lengths patched on dispose; the caller's stream stays open) instead of a hand-written header.</summary>
public static class WavFile
{
    public static byte[] Encode(short[] interleaved, int channels, int sampleRate)
    {
        using var output = new MemoryStream();
        using (var writer = new WaveFileWriter(output, new WaveFormat(sampleRate, 16, channels)))
            writer.WriteSamples(interleaved, 0, interleaved.Length);
        return output.ToArray();
    }
}
