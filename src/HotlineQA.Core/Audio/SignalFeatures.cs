using System.Numerics.Tensors;

namespace HotlineQA.Audio;

/// <summary>Cheap per-window measurements: energy for the gate and loudness, autocorrelation pitch for speech windows.</summary>
internal static class SignalFeatures
{
    private const int PitchRate = 8000;
    private const int MinLag = PitchRate / 400;
    private const int MaxLag = PitchRate / 60;

    public static float MeanSquare(ReadOnlySpan<float> x) => x.Length == 0 ? 0 : TensorPrimitives.Dot(x, x) / x.Length;

    public static double ToDbfs(double meanSquare) => meanSquare <= 1e-12 ? -120 : 10 * Math.Log10(meanSquare);

    /// <summary>
    /// Fundamental frequency in Hz of a 16 kHz frame (60–400 Hz), or 0 when it is not clearly periodic. The frame is
    /// halved to 8 kHz (pair averages; enough for a voice's F0) and the normalised autocorrelation peak is refined
    /// by a parabola through its neighbours.
    /// </summary>
    public static float Pitch(ReadOnlySpan<float> frame16k, Span<float> scratch)
    {
        var n = frame16k.Length / 2;
        if (n <= MaxLag + 2) return 0;
        var x = scratch[..n];
        for (var i = 0; i < n; i++) x[i] = 0.5f * (frame16k[2 * i] + frame16k[2 * i + 1]);
        var mean = TensorPrimitives.Sum(x) / n;
        TensorPrimitives.Subtract(x, mean, x);
        // Energies of the two lagged views come from one running sum of squares instead of two dot products per lag.
        Span<float> cumulative = stackalloc float[n + 1];
        cumulative[0] = 0;
        for (var i = 0; i < n; i++) cumulative[i + 1] = cumulative[i] + x[i] * x[i];
        Span<float> r = stackalloc float[MaxLag + 2];
        var best = -1;
        var bestR = 0f;
        for (var lag = MinLag - 1; lag <= MaxLag + 1; lag++)
        {
            var ea = cumulative[n - lag];
            var eb = cumulative[n] - cumulative[lag];
            r[lag] = ea <= 0 || eb <= 0 ? 0 : TensorPrimitives.Dot(x[..(n - lag)], x[lag..]) / MathF.Sqrt(ea * eb);
        }
        for (var lag = MinLag; lag <= MaxLag; lag++)
            if (r[lag] > bestR && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) { bestR = r[lag]; best = lag; }
        if (best < 0 || bestR < 0.5f) return 0;
        // Sub-harmonics (2T, 3T) correlate almost as well as T: take the shortest lag that is nearly as good.
        for (var lag = MinLag; lag < best; lag++)
            if (r[lag] >= 0.9f * bestR && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) { best = lag; break; }
        var denom = r[best - 1] - 2 * r[best] + r[best + 1];
        var shift = Math.Abs(denom) < 1e-9f ? 0 : 0.5f * (r[best - 1] - r[best + 1]) / denom;
        return PitchRate / (best + Math.Clamp(shift, -0.5f, 0.5f));
    }
}
