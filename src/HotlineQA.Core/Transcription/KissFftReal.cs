using System.Runtime.InteropServices;

namespace HotlineQA.Transcription;

/// <summary>
/// A real-input forward FFT of one fixed size through KissFFT (Debian <c>libkissfft-float131</c>, BSD-3-Clause): a
/// well-kept mixed-radix FFT that transforms n = 400 = 2⁴·5² directly, with no padding to a power of two.
/// FFTW would be faster still but is GPL; MathNet's managed transform is ten times slower for this size.
/// One instance per worker: KissFFT keeps its scratch buffer inside the configuration, so an instance is not
/// thread-safe.
/// </summary>
internal sealed unsafe partial class KissFftReal : IDisposable
{
    private const string Lib = "libkissfft-float.so.131";
    private void* _cfg;

    public KissFftReal(int size)
    {
        if (size <= 0 || size % 2 != 0) throw new ArgumentOutOfRangeException(nameof(size), size, "the real FFT needs an even size");
        Size = size;
        nuint length = 0;
        try
        {
            // First call: KissFFT reports how much memory its configuration needs; second: it builds it there.
            kiss_fftr_alloc(size, 0, null, &length);
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException("KissFFT is not installed (Debian package libkissfft-float131; run scripts/setup.sh)", e);
        }
        _cfg = NativeMemory.Alloc(length);
        if (kiss_fftr_alloc(size, 0, _cfg, &length) != _cfg)
        {
            NativeMemory.Free(_cfg);
            _cfg = null;
            throw new InvalidOperationException($"KissFFT could not set up a real transform of size {size}");
        }
    }

    public int Size { get; }

    /// <summary>
    /// Transforms <paramref name="input"/> (<see cref="Size"/> samples) into <paramref name="spectrum"/>: bins
    /// 0…Size/2 as interleaved real, imaginary pairs (Size + 2 floats), unscaled.
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> spectrum)
    {
        if (input.Length != Size) throw new ArgumentException($"the transform takes {Size} samples", nameof(input));
        if (spectrum.Length != Size + 2) throw new ArgumentException($"the spectrum takes {Size + 2} floats", nameof(spectrum));
        ObjectDisposedException.ThrowIf(_cfg == null, this);
        fixed (float* i = input)
        fixed (float* o = spectrum)
            kiss_fftr(_cfg, i, o);
    }

    public void Dispose()
    {
        if (_cfg == null) return;
        NativeMemory.Free(_cfg);
        _cfg = null;
    }

    [LibraryImport(Lib)]
    private static partial void* kiss_fftr_alloc(int nfft, int inverse, void* mem, nuint* lenmem);

    [LibraryImport(Lib)]
    private static partial void kiss_fftr(void* cfg, float* timedata, float* freqdata);
}
