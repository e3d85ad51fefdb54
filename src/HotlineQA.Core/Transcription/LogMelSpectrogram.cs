namespace HotlineQA.Transcription;

/// <summary>
/// Whisper's log-mel front end: 16 kHz audio padded to 30 s, STFT (n_fft 400, hop 160, periodic Hann, reflect
/// padding, last frame dropped) → power spectrum → Slaney mel filter bank → log10 with the max−8 clamp → (x+4)/4.
/// The transform of each frame is KissFFT's real FFT of size 400 (see <see cref="KissFftReal"/>).
/// One instance per worker: it reuses its buffers and is not thread-safe; dispose it to free the native FFT.
/// </summary>
public sealed class LogMelSpectrogram : IDisposable
{
    public const int SampleRate = 16000;
    public const int NFft = 400;
    public const int HopLength = 160;
    public const int WindowSamples = 30 * SampleRate;
    public const int Frames = WindowSamples / HopLength;
    private const int Bins = NFft / 2 + 1;
    private const float Floor = -10f; // log10 of the 1e-10 clamp: the value of a frame with no energy

    private readonly float[] _window = new float[NFft];
    private readonly float[] _frame = new float[NFft];
    private readonly float[] _spectrum = new float[2 * Bins];
    private readonly float[] _power = new float[Bins];
    private readonly (int First, float[] Weights)[] _filters;
    private readonly KissFftReal _fft = new(NFft);

    public LogMelSpectrogram(int melBins)
    {
        if (melBins is not (80 or 128))
        {
            _fft.Dispose();
            throw new ArgumentOutOfRangeException(nameof(melBins), melBins, "Whisper uses 80 or 128 mel bins");
        }
        MelBins = melBins;
        // Periodic Hann (torch.hann_window default): the denominator is N, not N−1.
        for (var n = 0; n < NFft; n++) _window[n] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * n / NFft));
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

        const int pad = NFft / 2;
        // Frames that start at or after the end of the audio lie wholly in the zero padding (a short VAD chunk leaves
        // most of the window there): no energy, no transform. Near 30 s the end reflection can reach back into the
        // audio, so then every frame is computed.
        var computed = audio.Length >= WindowSamples - NFft ? Frames : Math.Min(Frames, (audio.Length + pad + HopLength - 1) / HopLength);
        var max = computed < Frames ? Floor : float.NegativeInfinity;
        for (var f = 0; f < computed; f++)
        {
            var start = f * HopLength - pad;
            if (start >= 0 && start + NFft <= audio.Length)
            {
                var src = audio.Slice(start, NFft);
                for (var n = 0; n < NFft; n++) _frame[n] = src[n] * _window[n];
            }
            else
            {
                for (var n = 0; n < NFft; n++) _frame[n] = Sample(audio, start + n) * _window[n];
            }
            _fft.Forward(_frame, _spectrum);
            for (var k = 0; k < Bins; k++)
            {
                float re = _spectrum[2 * k], im = _spectrum[2 * k + 1];
                _power[k] = re * re + im * im;
            }
            for (var m = 0; m < MelBins; m++)
            {
                var (first, weights) = _filters[m];
                var sum = 0f;
                for (var j = 0; j < weights.Length; j++) sum += weights[j] * _power[first + j];
                var v = MathF.Log10(MathF.Max(sum, 1e-10f));
                output[m * Frames + f] = v;
                max = MathF.Max(max, v);
            }
        }
        if (computed < Frames)
            for (var m = 0; m < MelBins; m++) output.Slice(m * Frames + computed, Frames - computed).Fill(Floor);
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

    /// <summary>Power spectrum (bins 0…n_fft/2) of one windowed frame through the same transform, for tests.</summary>
    internal float[] PowerSpectrum(ReadOnlySpan<float> frame)
    {
        _fft.Forward(frame, _spectrum);
        var p = new float[Bins];
        for (var k = 0; k < Bins; k++) p[k] = _spectrum[2 * k] * _spectrum[2 * k] + _spectrum[2 * k + 1] * _spectrum[2 * k + 1];
        return p;
    }

    public void Dispose() => _fft.Dispose();
}
