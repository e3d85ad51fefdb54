namespace HotlineQA.Transcription;

/// <summary>A stretch of call time copied into a chunk at <see cref="Offset"/> seconds.</summary>
public sealed record ChunkPiece(double CallStart, double CallEnd, double Offset)
{
    public double Length => CallEnd - CallStart;
}

/// <summary>Speech regions of one channel glued into one ≤30 s window; only the regions' audio is in it.</summary>
public sealed record SpeechChunk(IReadOnlyList<ChunkPiece> Pieces)
{
    public double Duration => Pieces.Count == 0 ? 0 : Pieces[^1].Offset + Pieces[^1].Length;

    /// <summary>Chunk time → call time; a time in a gap between pieces maps to the end of the earlier piece.</summary>
    public double ToCallTime(double t)
    {
        var p = Pieces[0];
        foreach (var q in Pieces) { if (q.Offset <= t) p = q; else break; }
        return p.CallStart + Math.Clamp(t - p.Offset, 0, p.Length);
    }

    /// <summary>The chunk's samples: each piece's audio, separated by the (short) gaps as digital silence; nothing else is read.</summary>
    public float[] Cut(ReadOnlySpan<float> channel, int sampleRate)
    {
        var samples = new float[(int)Math.Round(Duration * sampleRate)];
        foreach (var p in Pieces)
        {
            var from = (int)Math.Round(p.CallStart * sampleRate);
            var to = Math.Min((int)Math.Round(p.CallEnd * sampleRate), channel.Length);
            var at = (int)Math.Round(p.Offset * sampleRate);
            var n = Math.Min(to - from, samples.Length - at);
            if (n > 0 && from >= 0) channel.Slice(from, n).CopyTo(samples.AsSpan(at));
        }
        return samples;
    }
}

/// <summary>Merges a channel's VAD speech regions into windows of at most 30 s for Whisper.</summary>
public static class SpeechChunker
{
    public const double MaxChunkSec = 30.0;

    /// <param name="regions">Speech (start, end) in call seconds, any order.</param>
    /// <param name="gapSec">Seconds of silence kept between two regions in one chunk (at most the real gap).</param>
    public static List<SpeechChunk> Plan(IEnumerable<(double Start, double End)> regions, double gapSec, double maxSec = MaxChunkSec)
    {
        var pieces = new List<(double Start, double End)>();
        foreach (var (s, e) in regions.Where(r => r.End > r.Start).OrderBy(r => r.Start))
        {
            // A region longer than a window is split into window-sized parts.
            for (var a = s; a < e; a += maxSec) pieces.Add((a, Math.Min(e, a + maxSec)));
        }
        var chunks = new List<SpeechChunk>();
        var current = new List<ChunkPiece>();
        double prevEnd = 0, offset = 0;
        foreach (var (s, e) in pieces)
        {
            var start = Math.Max(s, current.Count > 0 ? prevEnd : s);
            if (e <= start) continue;
            var gap = current.Count == 0 ? 0 : Math.Min(gapSec, start - prevEnd);
            if (current.Count > 0 && offset + gap + (e - start) > maxSec + 1e-9)
            {
                chunks.Add(new SpeechChunk(current));
                current = [];
                gap = 0;
                offset = 0;
            }
            current.Add(new ChunkPiece(start, e, offset + gap));
            offset += gap + (e - start);
            prevEnd = e;
        }
        if (current.Count > 0) chunks.Add(new SpeechChunk(current));
        return chunks;
    }
}
