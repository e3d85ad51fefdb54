using System.Text.Json.Nodes;
using HotlineQA.TestSupport.Audio;

namespace HotlineQA.TestSupport.Pipeline;

/// <summary>Many short real-speech stereo calls with sidecar transcripts, for the scale tests and the pipeline benchmark.</summary>
public static class CallCorpus
{
    public const string SidecarSource = "data/transcripts-dev/broadband-repair-perfunctory-apology.transcript.json";

    /// <summary>
    /// Writes <paramref name="count"/> distinct 3–6 s stereo 16 kHz WAVs cut from Silero's real 60 s speech clip
    /// (each channel from a different offset, so every file hashes differently), each with the dev transcript as its
    /// sidecar, times scaled to the call's length. Returns the number of utterances each sidecar holds.
    /// </summary>
    public static int Write(string dir, int count)
    {
        AudioTools.RequireFfmpeg();
        Directory.CreateDirectory(dir);
        var bytes = File.ReadAllBytes(TestPaths.Shared("data/silero-vad/test.wav"));
        var data = FindData(bytes);
        var mono = new short[(bytes.Length - data) / 2];
        Buffer.BlockCopy(bytes, data, mono, 0, mono.Length * 2);
        const int rate = 16000;
        var sidecar = JsonNode.Parse(File.ReadAllText(TestPaths.Shared(SidecarSource)))!;
        var srcDuration = sidecar["durationSec"]!.GetValue<double>();
        var utterances = sidecar["utterances"]!.AsArray().Count;
        for (var i = 0; i < count; i++)
        {
            var seconds = 3.0 + (i % 31) / 10.0;
            var frames = (int)(seconds * rate);
            var left = (i * 7919) % (mono.Length - frames);
            var right = (i * 104729 + 3 * rate) % (mono.Length - frames);
            var pcm = new short[frames * 2];
            for (var k = 0; k < frames; k++)
            {
                pcm[2 * k] = mono[left + k];
                pcm[2 * k + 1] = mono[right + k];
            }
            var name = $"call{i:D4}";
            WriteWav(Path.Combine(dir, name + ".wav"), pcm, rate, 2);
            var t = sidecar.DeepClone();
            var scale = seconds / srcDuration;
            t["callId"] = name;
            t["durationSec"] = Math.Round(seconds, 3);
            foreach (var u in t["utterances"]!.AsArray())
            {
                u!["start"] = Math.Round(u["start"]!.GetValue<double>() * scale, 3);
                u["end"] = Math.Round(u["end"]!.GetValue<double>() * scale, 3);
            }
            File.WriteAllText(Path.Combine(dir, name + ".transcript.json"), t.ToJsonString());
        }
        return utterances;
    }

    private static int FindData(byte[] wav)
    {
        var p = 12;
        while (p + 8 <= wav.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(wav, p, 4);
            var size = BitConverter.ToInt32(wav, p + 4);
            if (id == "data") return p + 8;
            p += 8 + size + (size & 1);
        }
        throw new InvalidDataException("test.wav has no data chunk");
    }

    private static void WriteWav(string path, short[] pcm, int rate, int channels)
    {
        using var w = new BinaryWriter(File.Create(path));
        var bytes = pcm.Length * 2;
        w.Write("RIFF"u8); w.Write(36 + bytes); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)channels); w.Write(rate);
        w.Write(rate * channels * 2); w.Write((short)(channels * 2)); w.Write((short)16);
        w.Write("data"u8); w.Write(bytes);
        var raw = new byte[bytes];
        Buffer.BlockCopy(pcm, 0, raw, 0, bytes);
        w.Write(raw);
    }

}
