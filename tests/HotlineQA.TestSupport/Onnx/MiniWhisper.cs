using System.Text.Json.Nodes;
using HotlineQA.TestSupport.Onnx.Proto;
using DT = HotlineQA.TestSupport.Onnx.Proto.TensorProto.Types.DataType;

namespace HotlineQA.TestSupport.Onnx;

/// <summary>
/// What the miniature decoder says at each step. Row 0 gives the logits at every prompt position but the last
/// (so the <c>&lt;|startoftranscript|&gt;</c> position, whence the no-speech probability); <see cref="Steps"/>[k]
/// gives the logits predicting the k-th generated token. Every unlisted logit is <see cref="Floor"/>; after the
/// script the model says end-of-text forever.
/// </summary>
public sealed class MiniWhisperScript
{
    public const float Floor = -10f;
    public const float Hit = 10f;

    public Dictionary<int, float> PromptRow { get; } = new();
    public List<Dictionary<int, float>> Steps { get; } = [];

    /// <summary>One step per token, each a clear winner.</summary>
    public MiniWhisperScript Emit(params int[] tokens)
    {
        foreach (var t in tokens) Steps.Add(new Dictionary<int, float> { [t] = Hit });
        return this;
    }

    /// <summary>One step where <paramref name="a"/> and <paramref name="b"/> are exactly tied (greedy takes the lower id).</summary>
    public MiniWhisperScript Tie(int a, int b)
    {
        Steps.Add(new Dictionary<int, float> { [a] = Hit, [b] = Hit });
        return this;
    }

    /// <summary>One step with a flat distribution over many tokens: the winner has a low probability.</summary>
    public MiniWhisperScript Unsure(int winner, IEnumerable<int> field)
    {
        var row = field.ToDictionary(t => t, _ => 0f);
        row[winner] = 0.5f;
        Steps.Add(row);
        return this;
    }
}

/// <summary>
/// Builds a miniature Whisper in the onnx-community / optimum layout: <c>onnx/encoder_model.onnx</c> and
/// <c>onnx/decoder_model_merged.onnx</c> with exactly the real export's input/output names, element types, ranks and
/// named dynamic axes, plus the real tokenizer and config files of whisper-tiny (with a tiny d_model, layer and head
/// count). The decoder's KV cache is real: each step's <c>present.*.decoder.*</c> is the past with one entry per new
/// token appended, and the model reads its position in the script from the cache it is fed (keys count every
/// token, values count the prompt tokens), so wrong cache feeding or a wrong <c>use_cache_branch</c> derails the
/// script.
/// </summary>
public static class MiniWhisper
{
    public const int Layers = 2;
    public const int Heads = 2;
    public const int HeadDim = 4;
    public const int DModel = Heads * HeadDim;

    /// <param name="tinySizedCompute">
    /// Adds dead-end work of whisper-tiny's size to every call (4 encoder MLP layers of 384×1536 over 1500 frames; per
    /// decoder step 4 such layers and the 384×vocabulary logits projection), multiplied by zero into the outputs, so
    /// a benchmark sees ONNX Runtime doing a real model's arithmetic. Tests leave it off.
    /// </param>
    public static string Build(string folder, MiniWhisperScript script, string sourceModel = "data/whisper/whisper-tiny", bool quantizedNames = false,
        bool tinySizedCompute = false, int? melBins = null)
    {
        var onnxDir = Path.Combine(folder, "onnx");
        Directory.CreateDirectory(onnxDir);
        var src = TestPaths.Shared(sourceModel);
        foreach (var f in Directory.GetFiles(src))
        {
            var name = Path.GetFileName(f);
            if (name == "config.json") continue;
            File.Copy(f, Path.Combine(folder, name), overwrite: true);
        }
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(src, "config.json")))!.AsObject();
        config["d_model"] = DModel;
        config["decoder_layers"] = Layers;
        config["encoder_layers"] = Layers;
        config["decoder_attention_heads"] = Heads;
        config["encoder_attention_heads"] = Heads;
        config["num_hidden_layers"] = Layers;
        if (melBins is { } bins) config["num_mel_bins"] = bins;
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        var vocab = (int)config["vocab_size"]!;
        var mels = (int)config["num_mel_bins"]!;
        var eot = (int)config["eos_token_id"]!;

        var suffix = quantizedNames ? "_quantized" : "";
        File.WriteAllBytes(Path.Combine(onnxDir, $"encoder_model{suffix}.onnx"), Encoder(mels, tinySizedCompute));
        File.WriteAllBytes(Path.Combine(onnxDir, $"decoder_model_merged{suffix}.onnx"), Decoder(script, vocab, eot, tinySizedCompute));
        return folder;
    }

    private const int TinyWidth = 384, TinyFfn = 1536, TinyLayers = 4;

    private static float[] Weights(int n) => Enumerable.Range(0, n).Select(i => ((i * 7919) % 17 - 8) * 1e-3f).ToArray();

    // x [.., w] → TinyLayers MLP layers (w → 1536 → 384) → a scalar, times zero.
    private static string DeadEndWork(OnnxGraph g, string x, int width, int? vocabProjection = null)
    {
        var h = g.Op("MatMul", [x, g.Const(Weights(width * TinyWidth), width, TinyWidth)]);
        for (var i = 0; i < TinyLayers; i++)
        {
            h = g.Op("MatMul", [g.Op("Relu", [g.Op("MatMul", [h, g.Const(Weights(TinyWidth * TinyFfn), TinyWidth, TinyFfn)])]),
                g.Const(Weights(TinyFfn * TinyWidth), TinyFfn, TinyWidth)]);
        }
        if (vocabProjection is { } v) h = g.Op("MatMul", [h, g.Const(Weights(TinyWidth * v), TinyWidth, v)]);
        return g.Op("Mul", [g.Op("ReduceSum", [h], attributes: ("keepdims", 0L)), g.Const([0f])]);
    }

    private static byte[] Encoder(int mels, bool tinySizedCompute)
    {
        var g = new OnnxGraph("mini_whisper_encoder");
        g.Input("input_features", DT.Float, "batch_size", "feature_size", "encoder_sequence_length");
        g.Output("last_hidden_state", DT.Float, "batch_size", "encoder_sequence_length / 2", DModel);
        // Stride-2 projection of the mel frames: a real computation over the features, 3000 frames → 1500 states.
        var t = g.Op("Transpose", ["input_features"], attributes: ("perm", new long[] { 0, 2, 1 }));
        var pairs = g.Op("Reshape", [t, g.ConstInt64([0, -1, 2 * mels], 3)]);
        var w = new float[2 * mels * DModel];
        for (var i = 0; i < w.Length; i++) w[i] = ((i * 7919) % 13 - 6) / (13f * mels);
        var projected = g.Op("MatMul", [pairs, g.Const(w, 2 * mels, DModel)]);
        if (tinySizedCompute) g.Op("Add", [projected, DeadEndWork(g, pairs, 2 * mels)], "last_hidden_state");
        else g.Op("Identity", [projected], "last_hidden_state");
        return g.ToModelBytes();
    }

    private static byte[] Decoder(MiniWhisperScript script, int vocab, int eot, bool tinySizedCompute)
    {
        var rows = script.Steps.Count + 2;
        var table = new float[rows * vocab];
        Array.Fill(table, MiniWhisperScript.Floor);
        void Put(int row, Dictionary<int, float> logits) { foreach (var (tok, v) in logits) table[row * vocab + tok] = v; }
        Put(0, script.PromptRow);
        for (var k = 0; k < script.Steps.Count; k++) Put(k + 1, script.Steps[k]);
        table[(rows - 1) * vocab + eot] = MiniWhisperScript.Hit;

        var g = new OnnxGraph("mini_whisper_decoder_merged");
        g.Input("input_ids", DT.Int64, "batch_size", "decoder_sequence_length");
        g.Input("encoder_hidden_states", DT.Float, "batch_size", "encoder_sequence_length / 2", DModel);
        for (var i = 0; i < Layers; i++)
        {
            foreach (var kv in new[] { "key", "value" })
                g.Input($"past_key_values.{i}.decoder.{kv}", DT.Float, "batch_size", Heads, "past_decoder_sequence_length", HeadDim);
            foreach (var kv in new[] { "key", "value" })
                g.Input($"past_key_values.{i}.encoder.{kv}", DT.Float, "batch_size", Heads, "encoder_sequence_length_out", HeadDim);
        }
        g.Input("use_cache_branch", DT.Bool, 1);
        g.Output("logits", DT.Float, "batch_size", "decoder_sequence_length", vocab);
        for (var i = 0; i < Layers; i++)
        {
            foreach (var kv in new[] { "key", "value" })
                g.Output($"present.{i}.decoder.{kv}", DT.Float, "batch_size", Heads, "past_decoder_sequence_length + 1", HeadDim);
            foreach (var kv in new[] { "key", "value" })
                g.Output($"present.{i}.encoder.{kv}", DT.Float, "batch_size", Heads, "encoder_sequence_length_out", HeadDim);
        }

        var one = g.Const([1f]);
        var zero = g.Const([0f]);
        var idsF = g.Op("Cast", ["input_ids"], attributes: ("to", (long)DT.Float));
        var onesBs = g.Op("Add", [g.Op("Mul", [idsF, zero]), one]);
        var ones4 = g.Op("Unsqueeze", [onesBs, g.ConstInt64([1, 3], 2)]);
        var newKey = g.Op("Expand", [ones4, g.ConstInt64([1, Heads, 1, HeadDim], 4)]);
        var cacheF = g.Op("Cast", ["use_cache_branch"], attributes: ("to", (long)DT.Float));
        var noCacheF = g.Op("Sub", [one, cacheF]);
        // Values mark prompt tokens (fed without the cache) so later steps know where the prompt ended.
        var newValue = g.Op("Mul", [newKey, noCacheF]);
        var encKv = g.Op("Transpose", [g.Op("Reshape", ["encoder_hidden_states", g.ConstInt64([0, -1, Heads, HeadDim], 4)])],
            attributes: ("perm", new long[] { 0, 2, 1, 3 }));
        string? sumK = null, sumV = null, sumE = null;
        for (var i = 0; i < Layers; i++)
        {
            // The merged model ignores the past on the no-cache branch, like the real one.
            var pk = g.Op("Mul", [$"past_key_values.{i}.decoder.key", cacheF]);
            var pv = g.Op("Mul", [$"past_key_values.{i}.decoder.value", cacheF]);
            g.Op("Concat", [pk, newKey], $"present.{i}.decoder.key", ("axis", 2L));
            g.Op("Concat", [pv, newValue], $"present.{i}.decoder.value", ("axis", 2L));
            g.Op("Identity", [encKv], $"present.{i}.encoder.key");
            g.Op("Neg", [encKv], $"present.{i}.encoder.value");
            var sk = g.Op("ReduceSum", [pk], attributes: ("keepdims", 0L));
            var sv = g.Op("ReduceSum", [pv], attributes: ("keepdims", 0L));
            var se = g.Op("ReduceSum", [g.Op("Add", [$"past_key_values.{i}.encoder.key", $"past_key_values.{i}.encoder.value"])], attributes: ("keepdims", 0L));
            sumK = sumK is null ? sk : g.Op("Add", [sumK, sk]);
            sumV = sumV is null ? sv : g.Op("Add", [sumV, sv]);
            sumE = sumE is null ? se : g.Op("Add", [sumE, se]);
        }
        var perToken = g.Const([(float)(Layers * Heads * HeadDim)]);
        // key + value of the encoder cache cancel (value = −key), so this term is 0 when they are fed as produced.
        var pastLen = g.Op("Add", [g.Op("Div", [sumK!, perToken]), g.Op("Mul", [sumE!, g.Const([1000f])])]);
        var promptPast = g.Op("Div", [sumV!, perToken]);
        var seq = g.Op("Cast", [g.Op("Gather", [g.Op("Shape", ["input_ids"]), g.ScalarInt64(1)], attributes: ("axis", 0L))],
            attributes: ("to", (long)DT.Float));
        var promptLen = g.Op("Add", [g.Op("Mul", [cacheF, promptPast]), g.Op("Mul", [noCacheF, seq])]);
        var idx = g.Op("Sub", [g.Op("CumSum", [onesBs, g.ScalarInt64(1)]), one]);
        var pos = g.Op("Add", [idx, g.Op("Mul", [pastLen, cacheF])]);
        var rel = g.Op("Sub", [pos, g.Op("Sub", [promptLen, one])]);
        var row = g.Op("Clip", [g.Op("Add", [rel, one]), g.Const([0f]) , g.Const([rows - 1f])]);
        var rowI = g.Op("Cast", [row], attributes: ("to", (long)DT.Int64));
        var scripted = g.Op("Gather", [g.Const(table, rows, vocab), rowI], attributes: ("axis", 0L));
        if (tinySizedCompute)
        {
            var h = g.Op("Unsqueeze", [onesBs, g.ConstInt64([2], 1)]); // [b, s, 1]
            g.Op("Add", [scripted, DeadEndWork(g, h, 1, vocab)], "logits");
        }
        else g.Op("Identity", [scripted], "logits");
        return g.ToModelBytes();
    }
}
