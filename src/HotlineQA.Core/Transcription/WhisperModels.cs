using System.Buffers.Binary;

namespace HotlineQA.Transcription;

/// <summary>
/// The ggml Whisper models <c>hotlineqa models pull</c> knows: whisper.cpp's pre-converted files
/// (<c>ggml-{size}[-q5_0|-q8_0].bin</c> in the Hugging Face repository ggerganov/whisper.cpp) and the SHA-1 of each as
/// whisper.cpp's <c>models/README.md</c> publishes it. A file without a published checksum is not pulled: nothing
/// unchecked is kept.
/// </summary>
public static class WhisperCatalog
{
    public static readonly string[] Sizes = ["tiny", "base", "small", "medium", "large-v3", "large-v3-turbo"];
    public static readonly string[] Quantisations = ["q5_0", "q8_0"];

    /// <summary>SHA-1 of each file, from whisper.cpp <c>models/README.md</c> ("Available models").</summary>
    public static readonly IReadOnlyDictionary<string, string> Sha1 = new Dictionary<string, string>
    {
        ["tiny"] = "bd577a113a864445d4c299885e0cb97d4ba92b5f",
        ["base"] = "465707469ff3a37a2b9b8d8f89f2f99de7299dac",
        ["small"] = "55356645c2b361a969dfd0ef2c5a50d530afd8d5",
        ["medium"] = "fd9727b6e1217c2f614f9b698455c4ffd82463b4",
        ["large-v3"] = "ad82bf6a9043ceed055076d0fd39f5f186ff8062",
        ["large-v3-q5_0"] = "e6e2ed78495d403bef4b7cff42ef4aaadcfea8de",
        ["large-v3-turbo"] = "4af2b29d7ec73d781377bfd1758ca957a807e941",
        ["large-v3-turbo-q5_0"] = "e050f7970618a659205450ad97eb95a18d69c9ee",
    };

    /// <summary>Where the files are served; <c>HOTLINEQA_WHISPER_URL</c> points at a mirror (the checksums still apply).</summary>
    public static Uri BaseUrl => new(Environment.GetEnvironmentVariable("HOTLINEQA_WHISPER_URL") is { Length: > 0 } u
        ? u.TrimEnd('/') + "/"
        : "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/");

    /// <summary>"whisper-base", "base", "whisper-small-q5_0" → the model id ("base", "small-q5_0"); null when the name is not a size[-quantisation].</summary>
    public static string? Id(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n.StartsWith("whisper-", StringComparison.Ordinal)) n = n["whisper-".Length..];
        var quant = Quantisations.FirstOrDefault(q => n.EndsWith("-" + q, StringComparison.Ordinal));
        var size = quant is null ? n : n[..^(quant.Length + 1)];
        return Sizes.Contains(size) ? n : null;
    }

    public static string FileName(string id) => $"ggml-{id}.bin";
}

/// <summary>Finds the ggml file of <c>Whisper:ModelPath</c> / <c>--model</c>: a <c>.bin</c> file, or a folder holding one.</summary>
public static class WhisperModelFile
{
    /// <summary>The default: <c>$HOTLINEQA_MODELS/ggml-base.bin</c> (<c>models/ggml-base.bin</c> when unset).</summary>
    public static string DefaultPath() => Path.Combine(ModelsRoot, WhisperCatalog.FileName("base"));

    public static string ModelsRoot => Environment.GetEnvironmentVariable("HOTLINEQA_MODELS") is { Length: > 0 } r ? r : "models";

    /// <summary>
    /// The model file for <paramref name="path"/>, or null with <paramref name="problem"/> naming the file or folder
    /// and the command that fixes it. A folder must hold exactly one <c>ggml-*.bin</c> (or one <c>*.bin</c>); the
    /// file must be laid out as whisper.cpp reads it (<see cref="CheckLayout"/>: a read of the headers, seeking past the data).
    /// </summary>
    public static string? Resolve(string path, out string? problem)
    {
        var full = Path.GetFullPath(path);
        const string fix = "run 'hotlineqa models pull whisper-base' or point --model / Whisper:ModelPath at a ggml .bin file";
        string file;
        if (Directory.Exists(full))
        {
            var found = Directory.GetFiles(full, "ggml-*.bin");
            if (found.Length == 0) found = Directory.GetFiles(full, "*.bin");
            if (found.Length != 1)
            {
                problem = found.Length == 0
                    ? $"Whisper model folder '{full}' holds no ggml .bin file; {fix}"
                    : $"Whisper model folder '{full}' holds {found.Length} .bin files ({string.Join(", ", found.Select(Path.GetFileName).Order(StringComparer.Ordinal))}); point --model / Whisper:ModelPath at one of them";
                return null;
            }
            file = found[0];
        }
        else if (File.Exists(full)) file = full;
        else
        {
            problem = $"Whisper model '{full}' does not exist; {fix}";
            return null;
        }
        problem = CheckLayout(file) is { } bad ? $"Whisper model '{file}' {bad}; {fix}" : null;
        return problem is null ? file : null;
    }

    /// <summary>
    /// Walks the file as whisper.cpp's loader will read it — magic, 11 hyper-parameters, mel filters, vocabulary, then
    /// each tensor's header and data — and says what is wrong, or null. whisper.cpp reads a truncated or corrupt file
    /// past its end and aborts the whole process (an uncaught C++ exception), so nothing it cannot read is handed to it.
    /// </summary>
    internal static string? CheckLayout(string file)
    {
        try
        {
            using var s = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var r = new BinaryReader(s);
            var length = s.Length;
            if (length < 4) return "is too short to be a ggml model";
            if (r.ReadUInt32() != 0x67676d6c) return "is not a ggml model (no ggml magic at its start)";
            if (length < 4 + 11 * 4) return "ends inside its header (truncated download?)";
            var h = Enumerable.Range(0, 11).Select(_ => r.ReadInt32()).ToArray();
            if (h.Take(10).Any(v => v <= 0 || v > 1_000_000)) return $"has impossible hyper-parameters ({string.Join(", ", h.Take(10))})";
            var nMel = r.ReadInt32();
            var nFft = r.ReadInt32();
            if (nMel <= 0 || nFft <= 0 || nMel > 1024 || nFft > 4096) return $"has an impossible mel filter bank ({nMel}×{nFft})";
            if (!Skip((long)nMel * nFft * 4)) return "ends inside its mel filters (truncated download?)";
            if (s.Position + 4 > length) return "ends before its vocabulary (truncated download?)";
            var words = r.ReadInt32();
            if (words <= 0 || words > h[0]) return $"has an impossible vocabulary size {words}";
            for (var i = 0; i < words; i++)
            {
                if (s.Position + 4 > length) return "ends inside its vocabulary (truncated download?)";
                var len = r.ReadInt32();
                if (len < 0 || len > 1024 || !Skip(len)) return "ends inside its vocabulary (truncated download?)";
            }
            var tensors = 0;
            while (s.Position < length)
            {
                if (s.Position + 12 > length) return $"ends inside the header of tensor {tensors + 1} (truncated download?)";
                var dims = r.ReadInt32();
                var nameLen = r.ReadInt32();
                var type = r.ReadInt32();
                if (dims is < 1 or > 4 || nameLen is < 1 or > 256) return $"has a corrupt header at tensor {tensors + 1}";
                if (s.Position + 4L * dims + nameLen > length) return $"ends inside the header of tensor {tensors + 1} (truncated download?)";
                long elements = 1;
                for (var d = 0; d < dims; d++) elements *= r.ReadInt32();
                var name = System.Text.Encoding.UTF8.GetString(r.ReadBytes(nameLen));
                if (TensorBytes(type, elements) is not { } bytes) return $"has tensor '{name}' of unknown ggml type {type}";
                if (!Skip(bytes)) return $"ends inside tensor '{name}' (truncated download?)";
                tensors++;
            }
            return null;

            bool Skip(long n)
            {
                if (n < 0 || s.Position + n > length) return false;
                s.Seek(n, SeekOrigin.Current);
                return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"cannot be read ({e.Message})"; }
    }

    /// <summary>Bytes of <paramref name="elements"/> values of a ggml type (block-quantised types: 32 values per block).</summary>
    private static long? TensorBytes(int type, long elements) => type switch
    {
        0 => elements * 4,               // F32
        1 => elements * 2,               // F16
        2 => elements / 32 * 18,         // Q4_0
        3 => elements / 32 * 20,         // Q4_1
        6 => elements / 32 * 22,         // Q5_0
        7 => elements / 32 * 24,         // Q5_1
        8 => elements / 32 * 34,         // Q8_0
        30 => elements * 2,              // BF16
        _ => null,
    };
}

/// <summary>The model file is missing, unreadable or not one whisper.cpp can load; the message names the file and the fix.</summary>
public sealed class WhisperModelException(string message, Exception? inner = null) : Exception(message, inner);
