using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace HotlineQA.Transcription;

/// <summary>
/// Whisper's log-mel front end: 16 kHz audio padded to 30 s, STFT (n_fft 400, hop 160, periodic Hann, reflect
/// padding, last frame dropped) → power spectrum → Slaney mel filter bank → log10 with the max−8 clamp → (x+4)/4.
/// One instance per worker: it reuses its buffers and is not thread-safe.
/// </summary>
public sealed class LogMelSpectrogram
{
    public const int SampleRate = 16000;
    public const int NFft = 400;
    public const int HopLength = 160;
    public const int WindowSamples = 30 * SampleRate;
    public const int Frames = WindowSamples / HopLength;
    private const int Bins = NFft / 2 + 1;

    // MathNet's Bluestein transform (used for non-power-of-two sizes like 400) rebuilds its chirp on every call,
    // which made the front end cost more than the model. The same chirp-z transform over MathNet's radix-2 FFT
    // with the chirp spectrum computed once, and two real frames packed into one complex transform (in double precision, MathNet's fastest path), is several times faster.
    private const int M = 1024; // power of two ≥ 2·NFft − 1
    private readonly float[] _window = new float[NFft];
    private readonly Complex[] _chirp = new Complex[NFft];
    private readonly Complex[] _chirpSpectrum = new Complex[M];
    private readonly Complex[] _work = new Complex[M];
    private readonly float[] _powerA = new float[Bins];
    private readonly float[] _powerB = new float[Bins];
    private readonly (int First, float[] Weights)[] _filters;

    // MathNet splits every transform over threads (above 300 elements); for 1024-point transforms, one per frame pair,
    // that costs three times the work it saves, and workers already run calls side by side. HotlineQA uses MathNet
    // only here, so the process-wide switch is ours to set.
    static LogMelSpectrogram() => MathNet.Numerics.Control.MaxDegreeOfParallelism = 1;

    public LogMelSpectrogram(int melBins)
    {
        if (melBins is not (80 or 128)) throw new ArgumentOutOfRangeException(nameof(melBins), melBins, "Whisper uses 80 or 128 mel bins");
        MelBins = melBins;
        // Periodic Hann (torch.hann_window default): the denominator is N, not N−1.
        for (var n = 0; n < NFft; n++) _window[n] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * n / NFft));
        for (var n = 0; n < NFft; n++)
        {
            // exp(−iπn²/N), with n² reduced mod 2N so the phase stays exact.
            var phase = -Math.PI * ((long)n * n % (2 * NFft)) / NFft;
            _chirp[n] = new Complex(Math.Cos(phase), Math.Sin(phase));
        }
        _chirpSpectrum[0] = Complex.Conjugate(_chirp[0]);
        for (var n = 1; n < NFft; n++) _chirpSpectrum[n] = _chirpSpectrum[M - n] = Complex.Conjugate(_chirp[n]);
        Fourier.Forward(_chirpSpectrum, FourierOptions.NoScaling);
        var dense = MelFilters(SampleRate, NFft, melBins);
        _filters = new (int, float[])[melBins];
        for (var m = 0; m < melBins; m++)
        {
            int first = -1, last = -1;
            for (var k = 0; k < Bins; k++)
                if (dense[m, k] != 0) { if (first < 0) first = k; last = k; }
            if (first < 0) { _filters[m] = (0, []); continue; }
            var w = new float[last - first + 1];
            for (var k = first; k <= last; k++) w[k - first] = (float)dense[m, k];
            _filters[m] = (first, w);
        }
    }

    public int MelBins { get; }

    /// <summary>
    /// The Slaney-style mel filter bank of librosa (<c>htk=False, norm="slaney"</c>), which Whisper's published
    /// <c>mel_filters.npz</c> was made with: [melBins, n_fft/2+1].
    /// </summary>
    public static double[,] MelFilters(int sampleRate, int nFft, int melBins)
    {
        var bins = nFft / 2 + 1;
        var fftFreqs = new double[bins];
        for (var k = 0; k < bins; k++) fftFreqs[k] = (double)k * sampleRate / nFft;
        double minMel = HzToMel(0), maxMel = HzToMel(sampleRate / 2.0);
        var hz = new double[melBins + 2];
        for (var i = 0; i < hz.Length; i++) hz[i] = MelToHz(minMel + (maxMel - minMel) * i / (melBins + 1));
        var weights = new double[melBins, bins];
        for (var m = 0; m < melBins; m++)
        {
            double lo = hz[m], mid = hz[m + 1], hi = hz[m + 2];
            var norm = 2.0 / (hi - lo);
            for (var k = 0; k < bins; k++)
            {
                var lower = (fftFreqs[k] - lo) / (mid - lo);
                var upper = (hi - fftFreqs[k]) / (hi - mid);
                weights[m, k] = Math.Max(0, Math.Min(lower, upper)) * norm;
            }
        }
        return weights;
    }

    // Slaney's scale: linear below 1 kHz, logarithmic above.
    private const double FSp = 200.0 / 3, MinLogHz = 1000, MinLogMel = MinLogHz / FSp;
    private static readonly double LogStep = Math.Log(6.4) / 27.0;

    private static double HzToMel(double f) => f < MinLogHz ? f / FSp : MinLogMel + Math.Log(f / MinLogHz) / LogStep;

    private static double MelToHz(double m) => m < MinLogMel ? m * FSp : MinLogHz * Math.Exp(LogStep * (m - MinLogMel));

    /// <summary>
    /// Log-mel features of up to 30 s of 16 kHz mono audio (zero-padded to 30 s), row-major [melBins, 3000],
    /// written into <paramref name="output"/>. Non-finite samples are bad input, never silently decoded.
    /// </summary>
    public void Compute(ReadOnlySpan<float> audio, Span<float> output)
    {
        if (audio.Length > WindowSamples) throw new ArgumentException($"at most {WindowSamples} samples (30 s) per window, got {audio.Length}", nameof(audio));
        if (output.Length != MelBins * Frames) throw new ArgumentException($"output must hold {MelBins}×{Frames} values", nameof(output));
        for (var i = 0; i < audio.Length; i++)
            if (!float.IsFinite(audio[i])) throw new ArgumentException($"audio sample {i} is not a finite number", nameof(audio));

        var max = float.NegativeInfinity;
        const int pad = NFft / 2;
        for (var f = 0; f < Frames; f += 2)
        {
            // Frame f in the real part, frame f+1 in the imaginary part (Frames is even).
            int a0 = f * HopLength - pad, b0 = (f + 1) * HopLength - pad;
            var w = _work.AsSpan();
            var any = false;
            for (var n = 0; n < NFft; n++)
            {
                float sa = Sample(audio, a0 + n), sb = Sample(audio, b0 + n);
                any |= sa != 0 || sb != 0;
                w[n] = new Complex(sa * _window[n], sb * _window[n]) * _chirp[n];
            }
            // Frames wholly in the zero padding of a short window have no energy: no transform needed.
            if (any)
            {
                w[NFft..].Clear();
                Spectrum(_powerA, _powerB);
            }
            else
            {
                Array.Clear(_powerA);
                Array.Clear(_powerB);
            }
            for (var m = 0; m < MelBins; m++)
            {
                var (first, weights) = _filters[m];
                float sa = 0f, sb = 0f;
                for (var j = 0; j < weights.Length; j++) { sa += weights[j] * _powerA[first + j]; sb += weights[j] * _powerB[first + j]; }
                var va = MathF.Log10(MathF.Max(sa, 1e-10f));
                var vb = MathF.Log10(MathF.Max(sb, 1e-10f));
                output[m * Frames + f] = va;
                output[m * Frames + f + 1] = vb;
                max = MathF.Max(max, MathF.Max(va, vb));
            }
        }
        var floor = max - 8f;
        for (var i = 0; i < output.Length; i++) output[i] = (MathF.Max(output[i], floor) + 4f) / 4f;
    }

    // The window is zero-padded to 30 s, then reflect-padded by n_fft/2 at both ends (torch.stft center=True).
    private static float Sample(ReadOnlySpan<float> audio, int i)
    {
        if (i < 0) i = -i;
        else if (i >= WindowSamples) i = 2 * (WindowSamples - 1) - i;
        return i < audio.Length ? audio[i] : 0f;
    }

    /// <summary>
    /// Power spectra (bins 0…n_fft/2) of the two real frames packed into <see cref="_work"/> (already multiplied by
    /// the chirp): Bluestein's convolution by FFT, then the real/imaginary parts separated by conjugate symmetry.
    /// </summary>
    private void Spectrum(float[] powerA, float[] powerB)
    {
        var w = _work;
        Fourier.Forward(w, FourierOptions.NoScaling);
        for (var k = 0; k < M; k++) w[k] *= _chirpSpectrum[k];
        Fourier.Inverse(w, FourierOptions.NoScaling);
        const double scale = 1.0 / M;
        for (var k = 0; k < NFft; k++) w[k] = w[k] * _chirp[k] * scale;
        for (var k = 0; k < Bins; k++)
        {
            var x = w[k];
            var y = Complex.Conjugate(w[(NFft - k) % NFft]);
            // A = (X + conj X[N−k]) / 2, B = (X − conj X[N−k]) / 2i
            double ar = (x.Real + y.Real) * 0.5, ai = (x.Imaginary + y.Imaginary) * 0.5;
            double br = (x.Imaginary - y.Imaginary) * 0.5, bi = -(x.Real - y.Real) * 0.5;
            powerA[k] = (float)(ar * ar + ai * ai);
            powerB[k] = (float)(br * br + bi * bi);
        }
    }

    /// <summary>Power spectrum of one windowed frame through the same path, for tests against a plain FFT.</summary>
    internal float[] PowerSpectrum(ReadOnlySpan<float> frame)
    {
        for (var n = 0; n < NFft; n++) _work[n] = new Complex(frame[n], 0) * _chirp[n];
        _work.AsSpan(NFft).Clear();
        var p = new float[Bins];
        Spectrum(p, _powerB);
        return p;
    }
}
