using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HotlineQA.Transcription;

/// <summary>Sizes and special tokens of one Whisper model, read from its config.json and generation_config.json.</summary>
public sealed record WhisperConfig
{
    public required int DModel { get; init; }
    public required int DecoderLayers { get; init; }
    public required int DecoderHeads { get; init; }
    public required int MelBins { get; init; }
    public required int VocabSize { get; init; }
    public required int MaxTargetPositions { get; init; }
    public required IReadOnlyList<int> SuppressTokens { get; init; }
    public required IReadOnlyList<int> BeginSuppressTokens { get; init; }
    /// <summary>From generation_config <c>max_initial_timestamp_index</c>: the first timestamp may be at most this many 20 ms steps.</summary>
    public int? MaxInitialTimestampIndex { get; init; }
    public IReadOnlyDictionary<string, int> LanguageTokens { get; init; } = new Dictionary<string, int>();

    public int HeadDim => DModel / DecoderHeads;

    public static WhisperConfig Load(string folder)
    {
        var cfg = ReadJson(Path.Combine(folder, "config.json"));
        var gen = File.Exists(Path.Combine(folder, "generation_config.json")) ? ReadJson(Path.Combine(folder, "generation_config.json")) : new JsonObject();
        int Int(JsonObject o, string key) => o[key]?.GetValue<int>() ?? throw new InvalidDataException($"{folder}/config.json: '{key}' is missing");
        IReadOnlyList<int> Ints(string key) =>
            ((gen[key] ?? cfg[key]) as JsonArray)?.Select(n => n!.GetValue<int>()).ToArray() ?? [];
        var langs = (gen["lang_to_id"] as JsonObject)?.ToDictionary(kv => kv.Key.Trim('<', '|', '>'), kv => kv.Value!.GetValue<int>())
                    ?? new Dictionary<string, int>();
        var c = new WhisperConfig
        {
            DModel = Int(cfg, "d_model"),
            DecoderLayers = Int(cfg, "decoder_layers"),
            DecoderHeads = Int(cfg, "decoder_attention_heads"),
            MelBins = Int(cfg, "num_mel_bins"),
            VocabSize = Int(cfg, "vocab_size"),
            MaxTargetPositions = cfg["max_target_positions"]?.GetValue<int>() ?? 448,
            SuppressTokens = Ints("suppress_tokens"),
            BeginSuppressTokens = Ints("begin_suppress_tokens"),
            MaxInitialTimestampIndex = gen["max_initial_timestamp_index"]?.GetValue<int>(),
            LanguageTokens = langs,
        };
        if (c.DModel % c.DecoderHeads != 0) throw new InvalidDataException($"{folder}/config.json: d_model {c.DModel} is not a multiple of {c.DecoderHeads} heads");
        return c;
    }

    private static JsonObject ReadJson(string path)
    {
        try { return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
    }
}

/// <summary>Where a model folder's files are, or what is missing from it.</summary>
public sealed record WhisperModelFiles(string Folder, string Encoder, string Decoder)
{
    public static readonly string[] ConfigFiles = ["config.json", "generation_config.json", "vocab.json", "merges.txt", "added_tokens.json"];

    /// <summary>The default folder: <c>$HOTLINEQA_MODELS/whisper-base</c>, or <c>models/whisper-base</c>.</summary>
    public static string DefaultFolder(string name = "whisper-base") =>
        Path.Combine(Environment.GetEnvironmentVariable("HOTLINEQA_MODELS") is { Length: > 0 } root ? root : "models", name);

    /// <summary>Finds the files (in the folder or its <c>onnx/</c> subfolder); the message of a failure names the folder and every expected file.</summary>
    public static WhisperModelFiles Locate(string folder, string variant, out string? problem)
    {
        var full = Path.GetFullPath(folder);
        var suffixes = variant switch
        {
            "auto" or "" => new[] { "", "_quantized" },
            "fp32" => [""],
            "quantized" => ["_quantized"],
            _ => ["_" + variant],
        };
        var missing = new List<string>();
        if (!Directory.Exists(full))
        {
            problem = $"Whisper model folder '{full}' does not exist; expected {Expected(suffixes[0])}. Run 'hotlineqa models pull whisper-base' or set HOTLINEQA_MODELS / --model.";
            return new WhisperModelFiles(full, "", "");
        }
        missing.AddRange(ConfigFiles.Where(f => !File.Exists(Path.Combine(full, f))));
        string? enc = null, dec = null;
        foreach (var s in suffixes)
        {
            enc = Find(full, $"encoder_model{s}.onnx");
            dec = Find(full, $"decoder_model_merged{s}.onnx");
            if (enc is not null && dec is not null) break;
        }
        if (enc is null) missing.Add($"onnx/encoder_model{suffixes[0]}.onnx");
        if (dec is null) missing.Add($"onnx/decoder_model_merged{suffixes[0]}.onnx");
        var partial = Directory.EnumerateFiles(full, "*.part", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(full, p)).ToList();
        problem = missing.Count == 0 && partial.Count == 0 ? null
            : $"Whisper model in '{full}' is incomplete:"
              + (missing.Count > 0 ? $" missing {string.Join(", ", missing)}" : "")
              + (partial.Count > 0 ? $" (unfinished downloads: {string.Join(", ", partial)}; run 'hotlineqa models pull' again to resume)" : "")
              + $". Expected {Expected(suffixes[0])}.";
        return new WhisperModelFiles(full, enc ?? "", dec ?? "");
    }

    private static string Expected(string suffix) =>
        string.Join(", ", ConfigFiles) + $", onnx/encoder_model{suffix}.onnx, onnx/decoder_model_merged{suffix}.onnx (large models also their .onnx_data files)";

    private static string? Find(string folder, string name)
    {
        foreach (var p in new[] { Path.Combine(folder, "onnx", name), Path.Combine(folder, name) })
            if (File.Exists(p)) return p;
        return null;
    }
}

/// <summary>
/// A loaded Whisper: ONNX Runtime sessions (CPU), tokenizer, config and front end. Create once per worker and
/// reuse; <see cref="WhisperEngine"/> runs windows on it one at a time.
/// </summary>
public sealed class WhisperModel : IDisposable
{
    private WhisperModel(WhisperModelFiles files, WhisperConfig config, WhisperTokenizer tokenizer, InferenceSession encoder, InferenceSession decoder)
    {
        Files = files;
        Config = config;
        Tokenizer = tokenizer;
        Encoder = encoder;
        Decoder = decoder;
    }

    public WhisperModelFiles Files { get; }
    public WhisperConfig Config { get; }
    public WhisperTokenizer Tokenizer { get; }
    internal InferenceSession Encoder { get; }
    internal InferenceSession Decoder { get; }

    public static WhisperModel Load(string folder, string variant = "auto", int threads = 0)
    {
        var files = WhisperModelFiles.Locate(folder, variant, out var problem);
        if (problem is not null) throw new WhisperModelException(problem);
        var config = WhisperConfig.Load(files.Folder);
        var tokenizer = WhisperTokenizer.Load(files.Folder);
        using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads > 0) { so.IntraOpNumThreads = threads; so.InterOpNumThreads = 1; }
        var encoder = Open(files.Encoder, so);
        InferenceSession decoder;
        try { decoder = Open(files.Decoder, so); }
        catch { encoder.Dispose(); throw; }
        var model = new WhisperModel(files, config, tokenizer, encoder, decoder);
        try { model.CheckSignature(); }
        catch { model.Dispose(); throw; }
        return model;
    }

    private static InferenceSession Open(string path, SessionOptions so)
    {
        // ONNX Runtime finds external weights (*.onnx_data) beside the file it loads.
        try { return new InferenceSession(path, so); }
        catch (OnnxRuntimeException e)
        {
            throw new WhisperModelException($"cannot load '{path}': {e.Message.Split('\n')[0]} (a large model also needs its .onnx_data file in the same folder)", e);
        }
    }

    private void CheckSignature()
    {
        void Need(InferenceSession s, string file, IEnumerable<string> names, bool inputs)
        {
            var have = inputs ? s.InputMetadata : s.OutputMetadata;
            var missing = names.Where(n => !have.ContainsKey(n)).ToList();
            if (missing.Count > 0)
                throw new WhisperModelException($"'{file}' is not a Whisper {(inputs ? "input" : "output")} signature of the onnx-community/optimum export: missing {string.Join(", ", missing)}");
        }
        Need(Encoder, Files.Encoder, ["input_features"], true);
        Need(Encoder, Files.Encoder, ["last_hidden_state"], false);
        Need(Decoder, Files.Decoder, ["input_ids", "encoder_hidden_states", "use_cache_branch", .. PastNames()], true);
        Need(Decoder, Files.Decoder, ["logits", .. PresentNames()], false);
        var logits = Decoder.OutputMetadata["logits"];
        if (logits.ElementDataType != TensorElementType.Float)
            throw new WhisperModelException($"'{Files.Decoder}': logits are {logits.ElementDataType}; only float32 inputs/outputs are supported (use the fp32 or quantized export, not fp16)");
        var past0 = Decoder.InputMetadata["past_key_values.0.decoder.key"].Dimensions;
        if (past0.Length != 4 || (past0[1] > 0 && past0[1] != Config.DecoderHeads) || (past0[3] > 0 && past0[3] != Config.HeadDim))
            throw new WhisperModelException($"'{Files.Decoder}': past key shape [{string.Join(",", past0)}] does not match config.json ({Config.DecoderHeads} heads × {Config.HeadDim})");
    }

    internal IEnumerable<string> PastNames()
    {
        for (var i = 0; i < Config.DecoderLayers; i++)
            foreach (var part in new[] { "decoder.key", "decoder.value", "encoder.key", "encoder.value" })
                yield return $"past_key_values.{i}.{part}";
    }

    internal IEnumerable<string> PresentNames()
    {
        for (var i = 0; i < Config.DecoderLayers; i++)
            foreach (var part in new[] { "decoder.key", "decoder.value", "encoder.key", "encoder.value" })
                yield return $"present.{i}.{part}";
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
    }
}
