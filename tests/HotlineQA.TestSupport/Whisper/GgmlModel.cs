using System.Buffers.Binary;

namespace HotlineQA.TestSupport.Whisper;

/// <summary>Sizes of a generated Whisper model (whisper.cpp hyper-parameters; vocabulary and mel filters come from the test file).</summary>
public sealed record GgmlDims(int AudioState, int AudioHeads, int AudioLayers, int TextState, int TextHeads, int TextLayers, int AudioCtx = 1500, int TextCtx = 448)
{
    /// <summary>Fast tests: every tensor is there, each a few kilobytes (the token embedding, 51,865 rows, dominates).</summary>
    public static readonly GgmlDims Small = new(64, 2, 1, 64, 2, 1);
    public static readonly GgmlDims Tiny = new(384, 6, 4, 384, 6, 4);
    public static readonly GgmlDims Base = new(512, 8, 6, 512, 8, 6);
    public static readonly GgmlDims SmallModel = new(768, 12, 12, 768, 12, 12);
}

/// <summary>How a generated model stores its weight matrices, as whisper.cpp's <c>quantize</c> tool would write them.</summary>
public enum GgmlWeights
{
    /// <summary>F16, as the published <c>ggml-*.bin</c>.</summary>
    F16,
    /// <summary>ggml Q8_0: blocks of 32 values, an F16 scale and 32 signed bytes (34 bytes per block).</summary>
    Q8_0,
    /// <summary>ggml Q5_0: blocks of 32 values, an F16 scale, 32 high bits and 32 low nibbles (22 bytes per block).</summary>
    Q5_0,
}

/// <summary>
/// Writes ggml Whisper model files as whisper.cpp's loader reads them (<c>whisper_model_load</c>): the test file's
/// header (magic, 11 hyper-parameters, mel filters, vocabulary) with the chosen dimensions, then every tensor by name
/// with its ggml shape (innermost dimension first) and type. Weights are seeded random values (matrices F16 as in
/// the published <c>ggml-*.bin</c>, biases and norms F32), so a model is reproducible and its arithmetic per step is
/// that of a real model of the same dimensions.
/// </summary>
public static class GgmlModel
{
    private const int F32 = 0, F16 = 1, Q5_0 = 6, Q8_0 = 8;

    /// <summary>whisper.cpp's test model of a size (header, filters, vocabulary; no tensors).</summary>
    public static string TestFile(string size = "tiny") => TestPaths.Shared($"data/whisper/ggml/for-tests-ggml-{size}.bin");

    /// <summary>Writes a model with random weights (seeded) to <paramref name="path"/> and returns the path.</summary>
    /// <param name="repeatToken">When set, the decoder's output is constant: the final layer norm has weight 0 and a random
    /// bias b, the embedding row of this (text) token is b scaled to a logit of 20, and every control and timestamp row
    /// (id ≥ 50257) is zero. whisper.cpp then writes one timestamp and this token until its token limit, so a window
    /// decodes ~220 tokens. The arithmetic per step is unchanged (every weight is still multiplied).</param>
    /// <param name="weights">F16 (default), or a ggml quantisation: then every 2-D weight matrix (attention, MLP, token
    /// embedding) is written quantised, the convolutions stay F16 and biases/norms/positions F32, and the header's ftype
    /// says so (with ggml's quantisation version 2), as whisper.cpp's <c>quantize</c> writes <c>ggml-*-q8_0.bin</c>.</param>
    public static string Write(string path, GgmlDims dims, int seed = 1, string? testFile = null, float weightScale = 1f, int? repeatToken = null,
        GgmlWeights weights = GgmlWeights.F16)
    {
        var wtype = weights switch { GgmlWeights.Q8_0 => Q8_0, GgmlWeights.Q5_0 => Q5_0, _ => F16 };
        // ggml ftype: 1 = mostly F16, 7 = mostly Q8_0, 8 = mostly Q5_0; quantised files add 1000 × GGML_QNT_VERSION (2).
        var ftype = weights switch { GgmlWeights.Q8_0 => 2007, GgmlWeights.Q5_0 => 2008, _ => 1 };
        var src = File.ReadAllBytes(testFile ?? TestFile());
        if (BinaryPrimitives.ReadUInt32LittleEndian(src) != 0x67676d6c) throw new InvalidDataException($"{testFile}: not a ggml file");
        var nVocab = BinaryPrimitives.ReadInt32LittleEndian(src.AsSpan(4));
        var nMels = BinaryPrimitives.ReadInt32LittleEndian(src.AsSpan(4 + 9 * 4));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var w = new BinaryWriter(fs);
        w.Write(0x67676d6c);
        foreach (var v in new[] { nVocab, dims.AudioCtx, dims.AudioState, dims.AudioHeads, dims.AudioLayers, dims.TextCtx, dims.TextState, dims.TextHeads, dims.TextLayers, nMels, ftype })
            w.Write(v);
        // Mel filters and vocabulary are copied as they are.
        w.Write(src.AsSpan(48));
        var rng = new Rng((ulong)seed * 0x9E3779B97F4A7C15UL + 1);
        int a = dims.AudioState, t = dims.TextState;

        // Convolutions (3-D) stay F16 in quantised files, as whisper.cpp's loader expects.
        void Matrix(string name, int inner, int outer, int? third = null) =>
            Tensor(w, rng, name, third is { } k ? [inner, outer, k] : [inner, outer], third is null ? wtype : F16, weightScale / MathF.Sqrt(third is null ? inner : inner * outer));
        void Vector(string name, int n, float value) => Constant(w, name, [n], value);
        void Bias(string name, int n) => Tensor(w, rng, name, [n], F32, 0.02f * weightScale);

        Tensor(w, rng, "encoder.positional_embedding", [a, dims.AudioCtx], F32, 0.1f);
        Matrix("encoder.conv1.weight", 3, nMels, a);
        Tensor(w, rng, "encoder.conv1.bias", [1, a], F32, 0.02f);
        Matrix("encoder.conv2.weight", 3, a, a);
        Tensor(w, rng, "encoder.conv2.bias", [1, a], F32, 0.02f);
        for (var i = 0; i < dims.AudioLayers; i++) Block($"encoder.blocks.{i}", a, cross: false);
        Vector("encoder.ln_post.weight", a, 1);
        Vector("encoder.ln_post.bias", a, 0);

        Tensor(w, rng, "decoder.positional_embedding", [t, dims.TextCtx], F32, 0.1f);
        var bias = new float[t];
        var bRng = new Rng((ulong)seed + 77);
        for (var i = 0; i < t; i++) bias[i] = (float)(bRng.NextDouble() * 2 - 1);
        var norm2 = bias.Sum(x => x * x);
        Tensor(w, rng, "decoder.token_embedding.weight", [t, nVocab], wtype, weightScale / MathF.Sqrt(t), row: repeatToken is not { } rt ? null
            : (r, c) => r == rt ? bias[c] * 20 / norm2 : r >= 50257 ? 0 : null);
        for (var i = 0; i < dims.TextLayers; i++) Block($"decoder.blocks.{i}", t, cross: true);
        Vector("decoder.ln.weight", t, repeatToken is null ? 1 : 0);
        if (repeatToken is null) Bias("decoder.ln.bias", t);
        else
        {
            Header(w, "decoder.ln.bias", [t], F32);
            foreach (var x in bias) w.Write(x);
        }
        return path;

        void Block(string p, int n, bool cross)
        {
            foreach (var att in cross ? new[] { "attn", "cross_attn" } : ["attn"])
            {
                Vector($"{p}.{att}_ln.weight", n, 1);
                Vector($"{p}.{att}_ln.bias", n, 0);
                Matrix($"{p}.{att}.query.weight", n, n);
                Bias($"{p}.{att}.query.bias", n);
                Matrix($"{p}.{att}.key.weight", n, n);
                Matrix($"{p}.{att}.value.weight", n, n);
                Bias($"{p}.{att}.value.bias", n);
                Matrix($"{p}.{att}.out.weight", n, n);
                Bias($"{p}.{att}.out.bias", n);
            }
            Vector($"{p}.mlp_ln.weight", n, 1);
            Vector($"{p}.mlp_ln.bias", n, 0);
            Matrix($"{p}.mlp.0.weight", n, 4 * n);
            Bias($"{p}.mlp.0.bias", 4 * n);
            Matrix($"{p}.mlp.2.weight", 4 * n, n);
            Bias($"{p}.mlp.2.bias", n);
        }
    }

    private static void Header(BinaryWriter w, string name, int[] ne, int type)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        w.Write(ne.Length);
        w.Write(bytes.Length);
        w.Write(type);
        foreach (var n in ne) w.Write(n);
        w.Write(bytes);
    }

    private static void Constant(BinaryWriter w, string name, int[] ne, float value)
    {
        Header(w, name, ne, F32);
        var count = ne.Aggregate(1L, (x, y) => x * y);
        for (long i = 0; i < count; i++) w.Write(value);
    }

    /// <param name="row">Overrides an element (row = outer index, column = inner index) when it returns a value.</param>
    private static void Tensor(BinaryWriter w, Rng rng, string name, int[] ne, int type, float scale, Func<int, int, float?>? row = null)
    {
        Header(w, name, ne, type);
        var count = ne.Aggregate(1L, (x, y) => x * y);
        if (type is Q8_0 or Q5_0 && ne[0] % 32 != 0) throw new ArgumentException($"{name}: a quantised row must be a multiple of 32 values, not {ne[0]}");
        var size = type == F16 ? 2 : 4;
        var buf = new byte[1 << 16];
        var at = 0;
        var block = new float[32];
        for (long i = 0; i < count; i++)
        {
            // Uniform in [-√3, √3]·scale: unit variance times the scale.
            var v = (float)((rng.NextDouble() * 2 - 1) * 1.7320508 * scale);
            if (row?.Invoke((int)(i / ne[0]), (int)(i % ne[0])) is { } set) v = set;
            if (type is Q8_0 or Q5_0)
            {
                block[i % 32] = v;
                if (i % 32 != 31) continue;
                at += type == Q8_0 ? BlockQ8(block, buf.AsSpan(at)) : BlockQ5(block, buf.AsSpan(at));
                if (at > buf.Length - 64) { w.Write(buf, 0, at); at = 0; }
                continue;
            }
            if (type == F16) BinaryPrimitives.WriteHalfLittleEndian(buf.AsSpan(at), (Half)v);
            else BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(at), v);
            at += size;
            if (at == buf.Length) { w.Write(buf); at = 0; }
        }
        w.Write(buf, 0, at);
    }

    /// <summary>One Q8_0 block: scale d = max|x| / 127 (F16), then round(x / d) as signed bytes.</summary>
    private static int BlockQ8(float[] x, Span<byte> o)
    {
        var amax = x.Max(MathF.Abs);
        var d = amax / 127f;
        var inv = d > 0 ? 1 / d : 0;
        BinaryPrimitives.WriteHalfLittleEndian(o, (Half)d);
        for (var j = 0; j < 32; j++) o[2 + j] = (byte)(sbyte)Math.Clamp((int)MathF.Round(x[j] * inv), -127, 127);
        return 34;
    }

    /// <summary>
    /// One Q5_0 block: the value of largest magnitude m gives d = m / −16 (F16); each x becomes q = x / d + 16 in 0..31.
    /// Bytes: d, 4 bytes of high bits (bit j = q[j] ≥ 16), 16 bytes of low nibbles (value j in the low nibble of byte
    /// j, value j + 16 in the high nibble).
    /// </summary>
    private static int BlockQ5(float[] x, Span<byte> o)
    {
        var m = 0f;
        foreach (var v in x) if (MathF.Abs(v) > MathF.Abs(m)) m = v;
        var d = m / -16f;
        var inv = d != 0 ? 1 / d : 0;
        BinaryPrimitives.WriteHalfLittleEndian(o, (Half)d);
        uint high = 0;
        for (var j = 0; j < 16; j++)
        {
            int q0 = Math.Clamp((int)MathF.Floor(x[j] * inv + 16.5f), 0, 31), q1 = Math.Clamp((int)MathF.Floor(x[j + 16] * inv + 16.5f), 0, 31);
            o[6 + j] = (byte)((q0 & 0xF) | ((q1 & 0xF) << 4));
            high |= (uint)(q0 >> 4) << j;
            high |= (uint)(q1 >> 4) << (j + 16);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(o[2..], high);
        return 22;
    }

    /// <summary>xorshift64*: fast, seeded, the same stream on every platform.</summary>
    private sealed class Rng(ulong state)
    {
        public double NextDouble()
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            return ((state * 2685821657736338717UL) >> 11) * (1.0 / (1UL << 53));
        }
    }
}
