using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using HotlineQA.Transcription;

namespace HotlineQA.Tests.Transcription;

public sealed class LogMelSpectrogramTests
{
    /// <summary>Reads one float32 C-order array out of a NumPy .npz (a zip of .npy files).</summary>
    private static (float[] Data, int Rows, int Cols) ReadNpz(string path, string entry)
    {
        using var zip = ZipFile.OpenRead(path);
        using var s = zip.GetEntry(entry)!.Open();
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        var b = ms.ToArray();
        Assert.Equal("\x93NUMPY", Encoding.Latin1.GetString(b, 0, 6));
        int headerLen, start;
        if (b[6] == 1) { headerLen = BitConverter.ToUInt16(b, 8); start = 10; }
        else { headerLen = (int)BitConverter.ToUInt32(b, 8); start = 12; }
        var header = Encoding.Latin1.GetString(b, start, headerLen);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'fortran_order': False", header);
        var shape = Regex.Match(header, @"'shape': \((\d+), (\d+)\)");
        int rows = int.Parse(shape.Groups[1].Value), cols = int.Parse(shape.Groups[2].Value);
        var data = new float[rows * cols];
        Buffer.BlockCopy(b, start + headerLen, data, 0, data.Length * 4);
        return (data, rows, cols);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(128)]
    public void MelFilters_ShouldMatchWhispersPublishedFilterBank_WhenComputedSlaneyStyle(int bins)
    {
        var (expected, rows, cols) = ReadNpz(TestPaths.Shared("data/whisper/openai-assets/mel_filters.npz"), $"mel_{bins}.npy");
        Assert.Equal((bins, 201), (rows, cols));

        var ours = LogMelSpectrogram.MelFilters(16000, 400, bins);

        var maxErr = 0.0;
        for (var m = 0; m < rows; m++)
            for (var k = 0; k < cols; k++)
                maxErr = Math.Max(maxErr, Math.Abs(ours[m, k] - expected[m * cols + k]));
        Assert.True(maxErr < 1e-6, $"largest difference {maxErr}");
    }

    [Fact]
    public void Compute_ShouldGive3000FramesAtTheFloor_WhenTheAudioIsSilent()
    {
        using var mel = new LogMelSpectrogram(80);
        var output = new float[80 * LogMelSpectrogram.Frames];

        mel.Compute(new float[LogMelSpectrogram.WindowSamples], output);

        // log10(1e-10) = −10 everywhere, the max−8 clamp changes nothing, (−10 + 4) / 4 = −1.5.
        Assert.All(output, v => Assert.Equal(-1.5f, v, 5));
        Assert.Equal(3000, LogMelSpectrogram.Frames);
    }

    [Theory]
    [InlineData(80, 440.0)]
    [InlineData(80, 1000.0)]
    [InlineData(128, 3000.0)]
    public void Compute_ShouldPutAPureToneInTheMelBinWhoseFilterPeaksThere_WhenGivenASine(int bins, double hz)
    {
        using var mel = new LogMelSpectrogram(bins);
        var output = new float[bins * LogMelSpectrogram.Frames];
        var audio = Enumerable.Range(0, 16000 * 10).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / 16000))).ToArray();

        mel.Compute(audio, output);

        var filters = LogMelSpectrogram.MelFilters(16000, 400, bins);
        var fftBin = (int)Math.Round(hz * 400 / 16000);
        var expectedBin = Enumerable.Range(0, bins).MaxBy(m => filters[m, fftBin]);
        const int frame = 500; // 5 s in: inside the tone
        var loudest = Enumerable.Range(0, bins).MaxBy(m => output[m * LogMelSpectrogram.Frames + frame]);
        Assert.InRange(loudest, expectedBin - 1, expectedBin + 1);
        // After the 10 s tone the padded rest of the window sits at the clamp floor: (max − 8 + 4) / 4.
        var max = output.Max();
        Assert.Equal(max - 2f, output[loudest * LogMelSpectrogram.Frames + 2500], 4);
    }

    [Fact]
    public void Compute_ShouldRefuseNonFiniteSamples_WhenTheAudioIsCorrupt()
    {
        using var mel = new LogMelSpectrogram(80);
        var audio = new float[16000];
        audio[123] = float.NaN;

        var e = Assert.Throws<ArgumentException>(() => mel.Compute(audio, new float[80 * 3000]));
        Assert.Contains("123", e.Message);
    }

    [Fact]
    public void PowerSpectrum_ShouldEqualMathNetsPlainFft_WhenGivenARandomFrame()
    {
        var rng = new Random(5);
        var frame = Enumerable.Range(0, 400).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var plain = frame.Select(v => new MathNet.Numerics.Complex32(v, 0)).ToArray();
        MathNet.Numerics.IntegralTransforms.Fourier.Forward(plain, MathNet.Numerics.IntegralTransforms.FourierOptions.NoScaling);

        using var mel = new LogMelSpectrogram(80);
        var ours = mel.PowerSpectrum(frame);

        Assert.Equal(201, ours.Length);
        for (var k = 0; k < 201; k++)
        {
            var expected = plain[k].Real * plain[k].Real + plain[k].Imaginary * plain[k].Imaginary;
            Assert.True(Math.Abs(ours[k] - expected) <= 1e-3 * Math.Max(1, expected), $"bin {k}: {ours[k]} vs {expected}");
        }
    }

    /// <summary>
    /// Whisper's recipe written out plainly in double precision with MathNet's FFT and the published filter bank:
    /// zero-pad to 30 s, reflect-pad 200, periodic Hann, |STFT|², mel, log10, max−8 clamp, (x+4)/4.
    /// </summary>
    private static float[] Reference(float[] audio, int bins)
    {
        var (filters, _, cols) = ReadNpz(TestPaths.Shared("data/whisper/openai-assets/mel_filters.npz"), $"mel_{bins}.npy");
        var padded = new double[LogMelSpectrogram.WindowSamples + 400];
        for (var i = 0; i < padded.Length; i++)
        {
            var j = i - 200;
            if (j < 0) j = -j;
            else if (j >= LogMelSpectrogram.WindowSamples) j = 2 * (LogMelSpectrogram.WindowSamples - 1) - j;
            padded[i] = j < audio.Length ? audio[j] : 0;
        }
        var logs = new double[bins * 3000];
        var frame = new System.Numerics.Complex[400];
        for (var f = 0; f < 3000; f++)
        {
            for (var n = 0; n < 400; n++) frame[n] = padded[f * 160 + n] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * n / 400));
            MathNet.Numerics.IntegralTransforms.Fourier.Forward(frame, MathNet.Numerics.IntegralTransforms.FourierOptions.NoScaling);
            for (var m = 0; m < bins; m++)
            {
                var sum = 0.0;
                for (var k = 0; k < cols; k++) sum += filters[m * cols + k] * (frame[k].Real * frame[k].Real + frame[k].Imaginary * frame[k].Imaginary);
                logs[m * 3000 + f] = Math.Log10(Math.Max(sum, 1e-10));
            }
        }
        var floor = logs.Max() - 8;
        return logs.Select(v => (float)((Math.Max(v, floor) + 4) / 4)).ToArray();
    }

    [Theory]
    [InlineData(80, 16000 * 30)]   // a full window: the end reflection reaches back into the audio
    [InlineData(80, 16000 * 7 + 37)] // a short VAD chunk: most frames lie in the zero padding
    [InlineData(128, 16000 * 30 - 250)] // just short of 30 s: the reflected tail is partly audio
    [InlineData(80, 300)]          // shorter than one frame
    public void Compute_ShouldMatchWhispersRecipeComputedIndependently_WhenGivenSpeechLikeNoise(int bins, int samples)
    {
        var rng = new Random(samples);
        // Noise shaped by a slow envelope, so the frames differ in level and the max−8 clamp bites somewhere.
        var audio = Enumerable.Range(0, samples).Select(i => (float)((rng.NextDouble() * 2 - 1) * 0.3 * (1.001 + Math.Sin(i / 9000.0)))).ToArray();
        using var mel = new LogMelSpectrogram(bins);
        var output = new float[bins * LogMelSpectrogram.Frames];

        mel.Compute(audio, output);

        var expected = Reference(audio, bins);
        var worst = 0f;
        for (var i = 0; i < output.Length; i++) worst = Math.Max(worst, Math.Abs(output[i] - expected[i]));
        // Float32 against float64 through log10 and /4: 1e-3 is ~0.4 % of one unit of log10 power.
        Assert.True(worst < 1e-3f, $"largest difference {worst}");
    }
}
